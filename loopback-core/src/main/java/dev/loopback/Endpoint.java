package dev.loopback;

import dev.loopback.internal.inspect.Literals;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;

/**
 * A host and port in a {@link LoopbackSpace}: the address a server binds and a client dials.
 *
 * <p>An endpoint is a plain value. It always carries a literal address ({@code 127.64.3.9}), never
 * the name {@code localhost}, so that what a test prints is exactly what the socket used.
 *
 * @param address the loopback address of the host
 * @param port the port, {@code 1..65535}
 */
public record Endpoint(InetAddress address, int port) {

    /**
     * Creates an endpoint.
     *
     * @throws NullPointerException if {@code address} is null
     * @throws IllegalArgumentException if {@code port} is outside {@code 1..65535}
     */
    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
    }

    /** Returns the endpoint of an already bound socket address (for example a server's local address). */
    public static Endpoint of(InetSocketAddress socketAddress) {
        Objects.requireNonNull(socketAddress, "socketAddress");
        if (socketAddress.isUnresolved()) {
            throw new IllegalArgumentException(
                    "socket address " + socketAddress + " is unresolved; an endpoint needs a literal address");
        }
        return new Endpoint(socketAddress.getAddress(), socketAddress.getPort());
    }

    /** Returns a new resolved {@link InetSocketAddress} for binding or connecting. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /** Returns the literal address as text: {@code 127.64.3.9}, or {@code [::1]} for IPv6. */
    public String hostText() {
        return Literals.host(address);
    }

    /** Returns {@code host:port} with a literal address, for example {@code 127.64.3.9:8080}. */
    public String hostPort() {
        return Literals.hostPort(address, port);
    }

    /**
     * Returns {@code scheme://host:port} — for example {@code uri("http")} gives
     * {@code http://127.64.3.9:8080}.
     *
     * @throws IllegalArgumentException if {@code scheme} is not a valid URI scheme
     */
    public URI uri(String scheme) {
        Objects.requireNonNull(scheme, "scheme");
        if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new IllegalArgumentException(
                    "scheme '" + scheme + "' is not a URI scheme (a letter, then letters, digits, '+', '-' or '.')");
        }
        return URI.create(scheme + "://" + hostPort());
    }

    /** Returns {@link #hostPort()}. */
    @Override
    public String toString() {
        return hostPort();
    }
}
