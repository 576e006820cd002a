package dev.loopback.inspect;

import dev.loopback.Endpoint;
import dev.loopback.internal.inspect.Literals;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A socket that occupies a local port: a TCP socket in the {@code LISTEN} state, or a bound UDP
 * socket. IPv4-mapped IPv6 addresses ({@code ::ffff:127.64.3.9}) are reported as their IPv4 form,
 * so a Java server bound through a dual-stack socket looks the same as one bound through IPv4.
 *
 * @param protocol TCP or UDP
 * @param address the local address; the wildcard {@code 0.0.0.0} or {@code ::} when bound to all
 * @param port the local port
 * @param inode the kernel's inode of the socket, {@code 0} where the platform does not say
 * @param uid the user id owning the socket, as the kernel lists it (the uid of the process that
 *     created it), {@code -1} where the platform does not say
 */
public record Listener(Protocol protocol, InetAddress address, int port, long inode, long uid) {

    /** The transport protocol of a listener. */
    public enum Protocol {
        /** A TCP socket in the LISTEN state. */
        TCP,
        /** A bound UDP socket. */
        UDP
    }

    /** Creates a listener; all components are required. */
    public Listener {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
    }

    /**
     * Creates a listener whose owner is not known ({@link #uid()} {@code -1}).
     *
     * @param protocol TCP or UDP
     * @param address the local address the socket is bound to
     * @param port the local port
     * @param inode the socket's inode, {@code 0} where the platform does not say
     */
    public Listener(Protocol protocol, InetAddress address, int port, long inode) {
        this(protocol, address, port, inode, -1);
    }

    /**
     * Returns true if the socket is bound to every local address ({@code 0.0.0.0} or {@code ::}).
     *
     * @return true for a socket bound to the IPv4 or IPv6 wildcard address
     */
    public boolean isWildcard() {
        return address.isAnyLocalAddress();
    }

    /**
     * Returns true if a client dialling {@code endpoint} over this protocol reaches this socket.
     *
     * @param endpoint the address and port a client dials
     * @return true if this socket is on the endpoint's port and bound to its address or to the wildcard
     */
    public boolean serves(Endpoint endpoint) {
        return port == endpoint.port() && (isWildcard() || address.equals(endpoint.address()));
    }

    /**
     * Returns {@code address:port} with a literal address, for example {@code 0.0.0.0:8080} or
     * {@code [::]:8080}.
     *
     * @return the socket's literal address and port, IPv6 in brackets
     */
    public String hostPort() {
        return Literals.hostPort(address, port);
    }

    /**
     * Returns {@link #hostPort()} as a user who bound the socket knows it: the IPv6 wildcard, which
     * is also how a Java {@code new ServerSocket(port)} or a bind to {@code 0.0.0.0} on a dual-stack
     * socket shows in the kernel's tables, reads {@code [::]:8080 (every IPv6 and IPv4 address,
     * 0.0.0.0:8080 included)}; every other address is its {@code hostPort()}.
     *
     * @return the address and port in the user's words
     */
    public String describe() {
        if (isWildcard() && address instanceof java.net.Inet6Address) {
            return hostPort() + " (every IPv6 and IPv4 address, 0.0.0.0:" + port + " included)";
        }
        return hostPort();
    }

    /** Returns for example {@code tcp 0.0.0.0:8080}. */
    @Override
    public String toString() {
        return protocol.name().toLowerCase(java.util.Locale.ROOT) + " " + hostPort();
    }
}
