package dev.loopback.internal.inspect;

import dev.loopback.inspect.Connection;
import dev.loopback.inspect.Listener;
import java.util.List;

/**
 * Where the kernel's socket tables are read from — the Java 17 variant, in the root of the
 * multi-release jar: {@code /proc/net} ({@link ProcNet}). The JDK 22 variant
 * ({@code META-INF/versions/22}) asks netlink {@code sock_diag} instead when native access is
 * enabled, with the same results. Everything that inspects sockets ({@code SocketInspector}, the
 * leak check, the wildcard checks) goes through here.
 */
public final class SocketTables {

    private SocketTables() {}

    /** Returns true if the socket tables can be read on this platform. */
    public static boolean available() {
        return ProcNet.available();
    }

    /** Returns all TCP listeners and bound UDP sockets, IPv4 and IPv6 (see {@link ProcNet#listeners()}). */
    public static List<Listener> listeners() {
        return ProcNet.listeners();
    }

    /** Returns every established TCP connection, IPv4 and IPv6 (see {@link ProcNet#established()}). */
    public static List<Connection> established() {
        return ProcNet.established();
    }

    /** Names the source in use, for a failing test's report. */
    public static String source() {
        return "/proc/net";
    }
}
