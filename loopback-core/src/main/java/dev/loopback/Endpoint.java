package dev.loopback;

import dev.loopback.internal.inspect.Literals;
import dev.loopback.internal.names.Syntax;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A host and port in a {@link LoopbackSpace}: the address a server binds and a client dials.
 *
 * <p>An endpoint is a plain value. It always carries a literal address ({@code 127.64.3.9}), never
 * the name {@code localhost}, so that what a test prints is exactly what the socket used.
 *
 * <p><b>Host names.</b> An endpoint may also carry a host name that resolves to its address
 * ({@link #withHostName(String)}, usually with a name from {@link LoopbackSpace#hostName(String)}):
 * then {@link #uri(String)} and {@link #socketAddress()} use the name — as a client configured with
 * it would — while {@link #hostPort()} and {@link #hostText()} stay literal, and
 * {@link #toString()} shows both. Endpoints differing only in the name are different values.
 *
 * @param address the loopback address of the host
 * @param port the port, {@code 1..65535}
 * @param hostName a host name that resolves to {@code address}, or null for none
 */
public record Endpoint(InetAddress address, int port, @Nullable String hostName) {

    /**
     * Creates an endpoint.
     *
     * @throws NullPointerException if {@code address} is null
     * @throws IllegalArgumentException if {@code port} is outside {@code 1..65535}, or
     *     {@code hostName} is not null and not a DNS name
     */
    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        if (hostName != null) {
            Syntax.checkName(hostName);
        }
    }

    /**
     * Creates an endpoint with a literal address only. See {@link #Endpoint(InetAddress, int, String)}.
     *
     * @param address the literal address, not null
     * @param port the port, in {@code 1..65535}
     */
    public Endpoint(InetAddress address, int port) {
        this(address, port, null);
    }

    /**
     * Returns this endpoint carrying {@code hostName} (null: none). The name is not checked to
     * resolve: take it from {@link LoopbackSpace#hostName(String)} for one that does.
     *
     * @param hostName a DNS name, or null to drop the name
     * @return an endpoint with the same address and port and the given host name
     * @throws IllegalArgumentException if {@code hostName} is not a DNS name
     */
    public Endpoint withHostName(String hostName) {
        return new Endpoint(address, port, hostName);
    }

    /**
     * Returns the endpoint of an already bound socket address (for example a server's local address).
     *
     * @param socketAddress a resolved socket address with a port, such as {@code ServerSocket.getLocalSocketAddress()}
     * @return an endpoint with that address and port, without a host name
     */
    public static Endpoint of(InetSocketAddress socketAddress) {
        Objects.requireNonNull(socketAddress, "socketAddress");
        if (socketAddress.isUnresolved()) {
            throw new IllegalArgumentException(
                    "socket address " + socketAddress + " is unresolved; an endpoint needs a literal address");
        }
        return new Endpoint(socketAddress.getAddress(), socketAddress.getPort());
    }

    /**
     * Returns a new resolved {@link InetSocketAddress} for binding or connecting. With a host name,
     * it also carries the name without a lookup ({@code getHostString()}, {@code getHostName()}),
     * as one a client resolved from the name would — TLS clients send it as the server name (SNI).
     *
     * @return a new resolved socket address for this endpoint's address and port, carrying its host name if it has one
     */
    public InetSocketAddress socketAddress() {
        if (hostName == null) {
            return new InetSocketAddress(address, port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(hostName, address.getAddress()), port);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible); // the address is 4 or 16 bytes
        }
    }

    /**
     * Returns the literal address as text: {@code 127.64.3.9}, or {@code [::1]} for IPv6.
     *
     * @return the address as a literal, never a host name
     */
    public String hostText() {
        return Literals.host(address);
    }

    /**
     * Returns {@code host:port} with a literal address, for example {@code 127.64.3.9:8080}.
     *
     * @return the literal address and the port, joined by a colon
     */
    public String hostPort() {
        return Literals.hostPort(address, port);
    }

    /**
     * Returns {@code scheme://host:port} — for example {@code uri("http")} gives
     * {@code http://127.64.3.9:8080}, or {@code http://web.s7.loopback.test:8080} for an endpoint
     * with that host name.
     *
     * @param scheme the URI scheme, for example {@code http} or {@code grpc}
     * @return a URI with the scheme, the host name (or else the literal address) and the port, and no path
     * @throws IllegalArgumentException if {@code scheme} is not a valid URI scheme
     */
    public URI uri(String scheme) {
        Objects.requireNonNull(scheme, "scheme");
        if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new IllegalArgumentException(
                    "scheme '" + scheme + "' is not a URI scheme (a letter, then letters, digits, '+', '-' or '.')");
        }
        return URI.create(scheme + "://" + (hostName == null ? hostPort() : hostName + ":" + port));
    }

    /**
     * Returns {@link #hostPort()}, or for an endpoint with a host name both the name and the
     * literal address: {@code web.s7.loopback.test:8080 (127.64.3.9:8080)}.
     */
    @Override
    public String toString() {
        return hostName == null ? hostPort() : hostName + ":" + port + " (" + hostPort() + ")";
    }
}
