package dev.loopback.internal.tcp;

import dev.loopback.TcpLink;
import dev.loopback.internal.link.LinkSetup;
import java.net.InetSocketAddress;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Opens TCP links. */
public final class TcpLinks {

    private TcpLinks() {}

    /** Opens a TCP link listening on a kernel-assigned port of {@code setup.host()}. */
    public static TcpLink open(LinkSetup setup) {
        return new TcpRelay(setup);
    }

    /**
     * Makes {@code link} dial, for each new connection, the address {@code router} gives for the
     * client's address instead of its upstream; a null answer resets the client. Connections
     * already open keep their upstream. The router runs on an engine thread: it must be quick and
     * must not block.
     */
    public static void route(TcpLink link, Function<InetSocketAddress, @Nullable InetSocketAddress> router) {
        ((TcpRelay) link).route(router);
    }
}
