package dev.loopback.inspect;

import dev.loopback.Endpoint;
import dev.loopback.internal.inspect.ProcNet;
import dev.loopback.internal.inspect.SocketTables;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers "who listens on what", and who is connected to whom, on this machine, without AssertJ or
 * JUnit.
 *
 * <p>On Linux the answer comes from the kernel's socket tables ({@code /proc/net/tcp},
 * {@code tcp6}, {@code udp}, {@code udp6}), so it sees every process in the network namespace,
 * wildcard listeners ({@code 0.0.0.0}, {@code ::}) and IPv4-mapped forms. On JDK 22+ with native access
 * enabled the same tables are asked through netlink {@code sock_diag} instead, which answers in
 * microseconds rather than the half millisecond an open of {@code /proc/net/tcp} can cost; the
 * results are the same (docs/guide/fast-paths.md). Where those tables do not
 * exist, {@link #isListening(Endpoint)} falls back to a connect probe and {@link #listeners()},
 * {@link #connections()} and {@link #peersOf(Endpoint)} throw {@link UnsupportedOperationException}.
 */
public final class SocketInspector {

    private SocketInspector() {}

    /**
     * Returns true if this platform exposes socket tables, so that {@link #listeners()} works.
     *
     * @return true on Linux, where the kernel's socket tables can be read
     */
    public static boolean canListListeners() {
        return SocketTables.available();
    }

    /**
     * Returns every TCP listener and every bound UDP socket on this machine, IPv4 and IPv6.
     *
     * @return the listeners as the kernel reports them at the call
     * @throws UnsupportedOperationException where the platform has no socket tables
     * @throws java.io.UncheckedIOException if the tables cannot be read
     */
    public static List<Listener> listeners() {
        if (!SocketTables.available()) {
            throw new UnsupportedOperationException(
                    "listing listeners needs /proc/net/tcp (Linux); use isListening(endpoint) on this platform");
        }
        return SocketTables.listeners();
    }

    /**
     * Returns every established TCP connection on this machine, IPv4 and IPv6, each from the side of
     * one of its sockets (a connection between two local processes is listed twice, once from each
     * end). Reads the whole socket tables, so it costs more than {@link #listeners()} on a machine
     * with many sockets: meant for assertions.
     *
     * @return the established TCP connections as the kernel reports them at the call
     * @throws UnsupportedOperationException where the platform has no socket tables
     * @throws java.io.UncheckedIOException if the tables cannot be read
     */
    public static List<Connection> connections() {
        if (!SocketTables.available()) {
            throw new UnsupportedOperationException(
                    "listing connections needs /proc/net/tcp (Linux); this platform has no socket tables");
        }
        return SocketTables.established();
    }

    /**
     * Returns the established connections a server listening on {@code server} accepted: those whose
     * local side is the endpoint, or any address on its port when a wildcard listener
     * ({@code 0.0.0.0}, {@code ::}) serves it. Each connection's {@link Connection#remote()} is a
     * peer of the server; a client that reached it through a {@link dev.loopback.Link} shows as the
     * link's host. Connections are listed as the kernel sees them at the call: a client that has
     * closed is gone, one still completing its handshake is not there yet.
     *
     * @param server the endpoint a server listens on
     * @return the connections to {@code server}, seen from the server's side: their remote end is the client
     * @throws UnsupportedOperationException where the platform has no socket tables
     */
    public static List<Connection> peersOf(Endpoint server) {
        Objects.requireNonNull(server, "server");
        boolean wildcard = wildcardTcpListener(server.port()).isPresent();
        return connections().stream()
                .filter(c -> c.local().port() == server.port()
                        && (wildcard || c.local().address().equals(server.address())))
                .toList();
    }

    /**
     * Returns the listeners bound exactly to {@code address} (wildcard listeners are not included).
     *
     * @param address the exact address, IPv4 or IPv6
     * @return the listeners bound to {@code address}, possibly none
     */
    public static List<Listener> listenersOn(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return listeners().stream().filter(l -> l.address().equals(address)).toList();
    }

    /**
     * Returns every listener on {@code port}, whatever its address, including wildcard ones.
     *
     * @param port the port, in {@code 1..65535}
     * @return the listeners on {@code port}, possibly none
     * @throws IllegalArgumentException if {@code port} is outside {@code 1..65535} (no listener
     *     can be on such a port, so the question is a mistake, not an empty answer)
     */
    public static List<Listener> listenersOnPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        return listeners().stream().filter(l -> l.port() == port).toList();
    }

    /**
     * Returns the TCP listener bound to the wildcard address on {@code port}, if any.
     *
     * @param port the port, in {@code 1..65535}
     * @return the wildcard TCP listener on {@code port}, or empty if there is none
     */
    public static Optional<Listener> wildcardTcpListener(int port) {
        if (!SocketTables.available()) {
            return Optional.empty();
        }
        return listenersOnPort(port).stream()
                .filter(l -> l.protocol() == Listener.Protocol.TCP && l.isWildcard())
                .findFirst();
    }

    /**
     * Returns true if a TCP client dialling {@code endpoint} would reach a listener, whether the
     * listener is bound to the endpoint's address or to the wildcard. Reads the socket tables where
     * they exist (no connection is made, so the server sees nothing); elsewhere makes a connection
     * and closes it at once.
     *
     * @param endpoint the address and port a client would dial
     * @return true if a TCP connection to {@code endpoint} would be accepted now
     */
    public static boolean isListening(Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (SocketTables.available()) {
            return SocketTables.listeners().stream()
                    .anyMatch(l -> l.protocol() == Listener.Protocol.TCP && l.serves(endpoint));
        }
        try (Socket socket = new Socket()) {
            socket.connect(endpoint.socketAddress(), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /**
     * Describes the process that owns {@code listener} ("pid 4711 (java)"), where the platform tells
     * and this user may see it; empty otherwise. Scans {@code /proc/<pid>/fd}, so it is meant for
     * error messages, not for hot paths.
     *
     * @param listener a listener from {@link #listeners()}
     * @return the owning process's id and name, or empty where they cannot be seen
     */
    public static Optional<String> owner(Listener listener) {
        return ProcNet.owner(listener.inode());
    }
}
