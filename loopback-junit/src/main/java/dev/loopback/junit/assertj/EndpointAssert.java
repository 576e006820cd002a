package dev.loopback.junit.assertj;

import dev.loopback.Endpoint;
import dev.loopback.Link;
import dev.loopback.inspect.Connection;
import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import dev.loopback.junit.internal.ProcessSockets;
import dev.loopback.junit.internal.SocketTables;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on how a server binds an {@link Endpoint}, and on who is connected to it, built on
 * {@link SocketInspector}: who listens is read from the kernel's socket tables (Linux) without
 * connecting, so the server sees nothing; {@link #acceptsConnections()} and
 * {@link #refusesConnections()} do connect. Listening means a TCP socket in the LISTEN state.
 * Messages show an endpoint as {@link Endpoint#toString()} does: with its host name, if it
 * carries one ({@code web.s7.loopback.test:8080 (127.64.3.9:8080)}).
 */
public final class EndpointAssert extends AbstractAssert<EndpointAssert, Endpoint> {

    /** How long {@link #acceptsConnections()} and {@link #refusesConnections()} wait for the connect. */
    public static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /**
     * Creates the assertion; use {@code LoopbackAssertions.assertThat(endpoint)}.
     *
     * @param actual the endpoint to check
     */
    public EndpointAssert(Endpoint actual) {
        super(actual, EndpointAssert.class);
    }

    /**
     * Verifies that a TCP client dialling the endpoint reaches a listener (its own or a wildcard one).
     *
     * @return this assertion, to chain more checks
     */
    public EndpointAssert isListening() {
        isNotNull();
        if (!SocketInspector.isListening(actual)) {
            failWithMessage("Expecting %s to be listening (TCP), but nothing listens there%s", actual, onPort());
        }
        return this;
    }

    /**
     * Verifies that no TCP listener serves the endpoint, neither on its address nor on the wildcard.
     *
     * @return this assertion, to chain more checks
     */
    public EndpointAssert isNotListening() {
        isNotNull();
        if (SocketInspector.isListening(actual)) {
            String who = SocketInspector.canListListeners()
                    ? serving().stream().map(Listener::hostPort).collect(Collectors.joining(" and "))
                    : "a listener";
            failWithMessage("Expecting nothing to listen on %s, but %s does", actual, who);
        }
        return this;
    }

    /**
     * Verifies that a TCP connection to the endpoint is accepted (it is closed at once).
     *
     * @return this assertion, to chain more checks
     */
    public EndpointAssert acceptsConnections() {
        isNotNull();
        try (Socket socket = new Socket()) {
            socket.connect(actual.socketAddress(), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            failWithMessage("Expecting %s to accept a TCP connection, but connecting failed: %s", actual, e);
        }
        return this;
    }

    /**
     * Verifies that a TCP connection to the endpoint is refused ({@code Connection refused}), not accepted or left hanging.
     *
     * @return this assertion, to chain more checks
     */
    public EndpointAssert refusesConnections() {
        isNotNull();
        try (Socket socket = new Socket()) {
            socket.connect(actual.socketAddress(), CONNECT_TIMEOUT_MILLIS);
            failWithMessage("Expecting %s to refuse connections, but it accepted one from %s", actual,
                    socket.getLocalSocketAddress());
        } catch (ConnectException refused) {
            return this;
        } catch (SocketTimeoutException e) {
            failWithMessage("Expecting %s to refuse connections, but connecting timed out after %d ms instead",
                    actual, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            failWithMessage("Expecting %s to refuse connections (Connection refused), but connecting failed with %s",
                    actual, e);
        }
        return this;
    }

    /**
     * Verifies that a TCP server listens on exactly the endpoint's address and port and not more
     * widely: no wildcard listener ({@code 0.0.0.0}, {@code ::}) on the port, whoever holds it, and no
     * listener of this process on the port at {@code 127.0.0.1}, {@code ::1} or a non-loopback
     * address. Listeners on other loopback addresses are not counted: parallel tests bind the same
     * port, each on its own host. IPv4-mapped listeners ({@code ::ffff:127.64.3.9}) count as their
     * IPv4 address.
     *
     * @return this assertion, to chain more checks
     * @throws UnsupportedOperationException where the platform has no socket tables (not Linux), saying
     *     so: skip the check there with {@code assumeTrue(SocketInspector.canListListeners())}
     */
    public EndpointAssert isBoundOnlyToItsAddress() {
        isNotNull();
        SocketTables.require("isBoundOnlyToItsAddress()");
        List<Listener> onPort = SocketInspector.listenersOnPort(actual.port()).stream()
                .filter(l -> l.protocol() == Listener.Protocol.TCP)
                .toList();
        boolean own = onPort.stream().anyMatch(l -> l.address().equals(actual.address()));
        List<Listener> wider = new ArrayList<>();
        for (Listener listener : onPort) {
            if (listener.isWildcard() || (!listener.address().equals(actual.address())
                    && exposes(listener.address()) && ProcessSockets.ownedByThisProcess(listener.inode()))) {
                wider.add(listener);
            }
        }
        String expected = "; expected only " + actual;
        if (!wider.isEmpty()) {
            failWithMessage("listening on %s%s%s", wider.stream().map(Listener::describe)
                    .collect(Collectors.joining(" and ")), own ? " as well as " + actual.hostPort() : "", expected);
        }
        if (!own) {
            failWithMessage("nothing listens on %s%s%s", actual, onPort(), expected);
        }
        return this;
    }

    /**
     * Verifies that no client bypassed the links: the server listening on this endpoint has at least
     * one established connection, and every one of them comes from the host of one of
     * {@code links}, which dial the server from their own host. A client that followed an advertised
     * address (Kafka metadata, a redirect, a pooled connection opened before the link existed) around
     * the link shows as another peer, usually {@code 127.0.0.1}, and fails the assertion: faults
     * injected into the link never reached it.
     *
     * <p>The peers are read from the kernel's socket tables at the call (see
     * {@link SocketInspector#peersOf(Endpoint)}), so call it while the clients are connected, for
     * example while a pool holds its connections or a consumer is subscribed; a client that has
     * already closed its connection cannot be judged.
     *
     * @param links the links through which alone clients may reach the endpoint; at least one
     * @return this assertion, to chain more checks
     * @throws UnsupportedOperationException where the platform has no socket tables (not Linux)
     * @throws IllegalArgumentException if no link is given
     */
    public EndpointAssert isReachedOnlyThrough(Link<?>... links) {
        isNotNull();
        if (links.length == 0) {
            throw new IllegalArgumentException("isReachedOnlyThrough() needs at least one link, the one(s) clients"
                    + " should come through");
        }
        Set<InetAddress> linkHosts = Arrays.stream(links).map(l -> l.endpoint().address()).collect(Collectors.toSet());
        String through = Arrays.stream(links).map(l -> "link " + l.name() + " (" + l.endpoint().address().getHostAddress()
                + ")").collect(Collectors.joining(" or "));
        List<Connection> peers = SocketInspector.peersOf(actual);
        if (peers.isEmpty()) {
            failWithMessage("Expecting clients of %s to come through %s, but it has no established connection at all"
                    + " (call this while the clients are connected)", actual, through);
        }
        List<Connection> bypassing = peers.stream()
                .filter(c -> !linkHosts.contains(c.remote().address()))
                .toList();
        if (!bypassing.isEmpty()) {
            failWithMessage("Expecting every client of %s to come through %s, but %d of its %d connections bypassed it,"
                    + " so faults injected into the link never reached them: from %s", actual, through,
                    bypassing.size(), peers.size(), bypassing.stream().map(c -> c.remote().hostPort())
                            .collect(Collectors.joining(", ")));
        }
        return this;
    }

    /** Returns true for the addresses {@code localhost} resolves to and for non-loopback ones. */
    private static boolean exposes(InetAddress address) {
        String literal = address.getHostAddress();
        return !address.isLoopbackAddress() || literal.equals("127.0.0.1") || literal.equals("0:0:0:0:0:0:0:1");
    }

    private List<Listener> serving() {
        return SocketInspector.listenersOnPort(actual.port()).stream()
                .filter(l -> l.protocol() == Listener.Protocol.TCP && l.serves(actual))
                .toList();
    }

    private String onPort() {
        if (!SocketInspector.canListListeners()) {
            return "";
        }
        List<Listener> listeners = SocketInspector.listenersOnPort(actual.port());
        return listeners.isEmpty()
                ? " (nothing listens on port " + actual.port() + " on any address)"
                : " (on port " + actual.port() + ": " + listeners.stream().map(Listener::toString)
                        .collect(Collectors.joining(", ")) + ")";
    }
}
