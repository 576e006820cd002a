package dev.loopback.junit.assertj;

import dev.loopback.Endpoint;
import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import dev.loopback.junit.internal.ProcessSockets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on how a server binds an {@link Endpoint}, built on {@link SocketInspector}: who
 * listens is read from the kernel's socket tables (Linux) without connecting, so the server sees
 * nothing; {@link #acceptsConnections()} and {@link #refusesConnections()} do connect. Listening
 * means a TCP socket in the LISTEN state.
 */
public final class EndpointAssert extends AbstractAssert<EndpointAssert, Endpoint> {

    /** How long {@link #acceptsConnections()} and {@link #refusesConnections()} wait for the connect. */
    public static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** Creates the assertion; use {@code LoopbackAssertions.assertThat(endpoint)}. */
    public EndpointAssert(Endpoint actual) {
        super(actual, EndpointAssert.class);
    }

    /** Verifies that a TCP client dialling the endpoint reaches a listener (its own or a wildcard one). */
    public EndpointAssert isListening() {
        isNotNull();
        if (!SocketInspector.isListening(actual)) {
            failWithMessage("Expecting %s to be listening (TCP), but nothing listens there%s", actual, onPort());
        }
        return this;
    }

    /** Verifies that no TCP listener serves the endpoint, neither on its address nor on the wildcard. */
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

    /** Verifies that a TCP connection to the endpoint is accepted (it is closed at once). */
    public EndpointAssert acceptsConnections() {
        isNotNull();
        try (Socket socket = new Socket()) {
            socket.connect(actual.socketAddress(), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            failWithMessage("Expecting %s to accept a TCP connection, but connecting failed: %s", actual, e);
        }
        return this;
    }

    /** Verifies that a TCP connection to the endpoint is refused ({@code Connection refused}), not accepted or left hanging. */
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
     * @throws UnsupportedOperationException where the platform has no socket tables (not Linux)
     */
    public EndpointAssert isBoundOnlyToItsAddress() {
        isNotNull();
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
        String expected = "; expected only " + actual.hostPort();
        if (!wider.isEmpty()) {
            failWithMessage("listening on %s%s%s", wider.stream().map(Listener::describe)
                    .collect(Collectors.joining(" and ")), own ? " as well as " + actual.hostPort() : "", expected);
        }
        if (!own) {
            failWithMessage("nothing listens on %s%s%s", actual.hostPort(), onPort(), expected);
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
