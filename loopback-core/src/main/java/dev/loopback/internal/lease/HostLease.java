package dev.loopback.internal.lease;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Exclusive ownership of one loopback address, held by a sentinel: a TCP socket bound, without
 * {@code SO_REUSEADDR} and without listening, to {@link #SENTINEL_PORT} on the address.
 *
 * <p>The kernel arbitrates the sentinel for every process in the network namespace — other
 * threads, other JVMs, other users, containers on the host network — so no shared directory or
 * lock file is needed, and when the process dies, however it dies, the kernel closes the socket
 * and the address is free again. A bound, non-listening socket accepts nothing and does not appear
 * as a listener in {@code /proc/net/tcp}.
 */
public final class HostLease implements AutoCloseable {

    /** The port the sentinel holds on every leased address; unavailable to tests on leased hosts. */
    public static final int SENTINEL_PORT = 65535;

    private final Inet4Address address;
    private final int raw;
    private final Socket sentinel;

    private HostLease(Inet4Address address, int raw, Socket sentinel) {
        this.address = address;
        this.raw = raw;
        this.sentinel = sentinel;
    }

    /**
     * Tries to lease {@code raw}; returns null if another space, here or in any other process, holds
     * it (or the address cannot be bound at all).
     */
    static HostLease tryAcquire(int raw) {
        Inet4Address address = Cidr.toInet(raw);
        Socket socket = new Socket();
        try {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(address, SENTINEL_PORT));
            return new HostLease(address, raw, socket);
        } catch (BindException taken) {
            closeQuietly(socket);
            return null;
        } catch (IOException e) {
            closeQuietly(socket);
            return null;
        }
    }

    /** Returns the leased address. */
    public Inet4Address address() {
        return address;
    }

    int raw() {
        return raw;
    }

    /** Gives the address back; the next lease of it, here or elsewhere, can succeed at once. */
    @Override
    public void close() {
        closeQuietly(sentinel);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing an unconnected socket does not fail in practice; nothing to recover
        }
    }
}
