package dev.loopback.internal.lease;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Exclusive ownership of one loopback address, held by a sentinel: an IPv4 TCP socket bound,
 * without {@code SO_REUSEADDR} and without listening, to {@link #SENTINEL_PORT} on the address.
 *
 * <p>The kernel arbitrates the sentinel for every process in the network namespace — other
 * threads, other JVMs, other users, containers on the host network: a second bind of the same
 * address and port fails whether or not it asks for {@code SO_REUSEADDR} or {@code SO_REUSEPORT},
 * over IPv4 or as an IPv4-mapped IPv6 address, so no shared directory or lock file is needed. When the process dies, however it dies, the
 * kernel closes the socket and the address is free again. A bound, non-listening socket accepts
 * nothing, takes no other port of the address, and does not appear in {@code /proc/net/tcp}.
 */
public final class HostLease implements AutoCloseable {

    /** The port the sentinel holds on every leased address; unavailable to tests on leased hosts. */
    public static final int SENTINEL_PORT = 65535;

    private final Inet4Address address;
    private final SocketChannel sentinel;

    private HostLease(Inet4Address address, SocketChannel sentinel) {
        this.address = address;
        this.sentinel = sentinel;
    }

    /**
     * Leases {@code raw}.
     *
     * @throws IOException if another space, here or in any other process, holds it
     *     ({@link java.net.BindException} "Address already in use"), or the address cannot be
     *     bound at all
     */
    static HostLease acquire(int raw) throws IOException {
        Inet4Address address = Cidr.toInet(raw);
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.INET);
        try {
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            socket.bind(new InetSocketAddress(address, SENTINEL_PORT));
            return new HostLease(address, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Returns the leased address. */
    public Inet4Address address() {
        return address;
    }

    /** Gives the address back; the next lease of it, here or elsewhere, can succeed at once. */
    @Override
    public void close() {
        try {
            sentinel.close();
        } catch (IOException ignored) {
            // closing a bound, unconnected socket does not fail in practice; nothing to recover
        }
    }
}
