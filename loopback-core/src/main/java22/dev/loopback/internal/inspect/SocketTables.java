package dev.loopback.internal.inspect;

import dev.loopback.inspect.Connection;
import dev.loopback.inspect.Listener;
import dev.loopback.internal.ffm.NativeAccess;
import java.io.IOException;
import java.util.List;

/**
 * Where the kernel's socket tables are read from — the JDK 22 variant ({@code META-INF/versions/22}):
 * netlink {@code sock_diag} ({@link SockDiag}) when native access is enabled, else {@code /proc/net}
 * ({@link ProcNet}) as on Java 17. The two give the same rows. If a netlink query ever fails (a
 * sandbox that forbids netlink sockets), this JVM uses {@code /proc/net} from then on, and
 * {@link #source()} says why.
 */
public final class SocketTables {

    private static volatile String netlinkFailure = NativeAccess.enabled() ? null : "native access not enabled";

    private SocketTables() {}

    /** Returns true if the socket tables can be read on this platform. */
    public static boolean available() {
        return ProcNet.available() || netlinkFailure == null;
    }

    /** Returns all TCP listeners and bound UDP sockets, IPv4 and IPv6 (see {@link ProcNet#listeners()}). */
    public static List<Listener> listeners() {
        if (netlinkFailure == null) {
            checkNotInterrupted();
            try {
                return SockDiag.listeners();
            } catch (IOException | RuntimeException e) {
                fellBack(e);
            }
        }
        return ProcNet.listeners();
    }

    /** Returns every established TCP connection, IPv4 and IPv6 (see {@link ProcNet#established()}). */
    public static List<Connection> established() {
        if (netlinkFailure == null) {
            checkNotInterrupted();
            try {
                return SockDiag.established();
            } catch (IOException | RuntimeException e) {
                fellBack(e);
            }
        }
        return ProcNet.established();
    }

    /** Names the source in use, for a failing test's report. */
    public static String source() {
        String failure = netlinkFailure;
        if (failure == null) {
            return "netlink sock_diag (FFM)";
        }
        return NativeAccess.enabled() ? "/proc/net (netlink sock_diag failed: " + failure + ")" : "/proc/net";
    }

    /**
     * A netlink query does not notice an interrupt the way reading {@code /proc/net} does, so a
     * caller polling the tables (such as {@code LoopbackAwait}) is told at once, the interrupt kept.
     */
    private static void checkNotInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted while querying netlink sock_diag");
        }
    }

    private static void fellBack(Exception e) {
        netlinkFailure = e.toString();
    }
}
