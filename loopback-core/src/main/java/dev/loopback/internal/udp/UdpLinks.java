package dev.loopback.internal.udp;

import dev.loopback.UdpLink;
import dev.loopback.internal.link.LinkSetup;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Opens UDP links. */
public final class UdpLinks {

    private UdpLinks() {}

    /**
     * Opens a UDP link receiving on a kernel-assigned port of {@code setup.host()}.
     *
     * @throws UncheckedIOException if the link's socket or selector cannot be opened
     */
    public static UdpLink open(LinkSetup setup) {
        try {
            return UdpRelay.open(setup);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open UDP link '" + setup.name() + "' on "
                    + setup.listen().getAddress().getHostAddress() + ":" + setup.listen().getPort() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Names how UDP links move datagrams, for a failing test's report: through their
     * {@code DatagramChannel}s on every JDK (batching with {@code recvmmsg}/{@code sendmmsg} is
     * issue 17's open item).
     */
    public static String io() {
        return "DatagramChannel, one datagram per system call";
    }
}
