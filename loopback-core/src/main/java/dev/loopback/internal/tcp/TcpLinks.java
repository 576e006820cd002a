package dev.loopback.internal.tcp;

import dev.loopback.TcpLink;
import dev.loopback.internal.link.LinkSetup;

/** Opens TCP links. */
public final class TcpLinks {

    private TcpLinks() {}

    /** Opens a TCP link listening on a kernel-assigned port of {@code setup.host()}. */
    public static TcpLink open(LinkSetup setup) {
        return new TcpRelay(setup);
    }
}
