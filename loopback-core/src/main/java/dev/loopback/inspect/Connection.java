package dev.loopback.inspect;

import dev.loopback.Endpoint;
import java.util.Objects;

/**
 * An established TCP connection as the kernel lists it, seen from one of its two sockets: a
 * connection between two local processes appears twice, once from each end. IPv4-mapped IPv6
 * addresses are reported as their IPv4 form, as for {@link Listener}.
 *
 * @param local this socket's address and port
 * @param remote the peer's address and port
 * @param inode the kernel's inode of the socket, {@code 0} where the platform does not say
 * @param uid the user id owning the socket, as the kernel lists it, {@code -1} where the platform
 *     does not say
 */
public record Connection(Endpoint local, Endpoint remote, long inode, long uid) {

    /** Creates a connection; both endpoints are required. */
    public Connection {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
    }

    /**
     * Creates a connection whose owner is not known ({@link #uid()} {@code -1}).
     *
     * @param local this side's address and port
     * @param remote the peer's address and port
     * @param inode the socket's inode, {@code 0} where the platform does not say
     */
    public Connection(Endpoint local, Endpoint remote, long inode) {
        this(local, remote, inode, -1);
    }

    /** Returns for example {@code tcp 127.64.3.9:8080 <- 127.64.3.10:41234}. */
    @Override
    public String toString() {
        return "tcp " + local.hostPort() + " <- " + remote.hostPort();
    }
}
