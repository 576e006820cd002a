package dev.loopback.internal.access;

import dev.loopback.internal.ffm.NativeAccess;
import dev.loopback.internal.inspect.SocketTables;
import dev.loopback.internal.udp.UdpLinks;

/**
 * Which kernel paths this JVM uses — the FFM fast path (netlink {@code sock_diag}) or
 * {@code /proc/net} for socket tables, and how UDP links move datagrams — for
 * {@code loopback-junit}'s failure report.
 */
public final class FastPaths {

    private FastPaths() {}

    /**
     * Returns one line naming the paths in use and why, for example {@code socket tables: /proc/net;
     * UDP links: DatagramChannel (JDK 25 without native access: ...)}.
     *
     * @return the description, for logs and test reports
     */
    public static String describe() {
        return "socket tables: " + SocketTables.source() + "; UDP links: " + UdpLinks.io() + " ("
                + NativeAccess.status() + ")";
    }
}
