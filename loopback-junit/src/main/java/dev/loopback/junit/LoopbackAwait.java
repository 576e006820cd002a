package dev.loopback.junit;

import dev.loopback.Endpoint;
import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import dev.loopback.junit.internal.Poll;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits, built on Awaitility, for a server to start or stop listening — instead of sleeping. The
 * condition is the one of {@link SocketInspector#isListening(Endpoint)}: read from the socket
 * tables where they exist, so the server sees no probe connection; elsewhere a connection is made
 * and closed at once. It is checked at once, then every {@link #POLL_INTERVAL}, on the calling
 * thread; a timeout is Awaitility's {@link ConditionTimeoutException}, as for your own waits.
 *
 * <pre>{@code
 * executor.submit(server::start);
 * LoopbackAwait.untilListening(endpoint);
 * }</pre>
 *
 * <p><b>Your own waits.</b> {@code loopback-junit} brings Awaitility, and every assertion of
 * {@link LoopbackAssertions} is a condition for its {@code untilAsserted}, with your own timeout
 * and poll interval — for a link's counters, which move asynchronously, say:
 * {@code await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(link).hasInjected(FaultKind.LOSS))}.
 * On timeout Awaitility's message carries the assertion's ({@code Expecting …}).
 */
public final class LoopbackAwait {

    /** The default timeout: long enough for a server to start on a loaded CI machine. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** How often the condition is checked. */
    public static final Duration POLL_INTERVAL = Poll.INTERVAL;

    private LoopbackAwait() {}

    /**
     * Waits up to {@link #DEFAULT_TIMEOUT} until a TCP listener serves {@code endpoint}.
     *
     * @param endpoint the endpoint a server is about to listen on
     * @throws ConditionTimeoutException naming the endpoint (and what listens on its port) on timeout
     */
    public static void untilListening(Endpoint endpoint) {
        untilListening(endpoint, DEFAULT_TIMEOUT);
    }

    /**
     * Waits up to {@code timeout} until a TCP listener serves {@code endpoint}.
     *
     * @param endpoint the endpoint a server is about to listen on
     * @param timeout how long to wait
     * @throws ConditionTimeoutException naming the endpoint (and what listens on its port) on timeout
     */
    public static void untilListening(Endpoint endpoint, Duration timeout) {
        await(endpoint, timeout, () -> SocketInspector.isListening(endpoint), "to be listening");
    }

    /**
     * Waits up to {@link #DEFAULT_TIMEOUT} until no TCP listener serves {@code endpoint}.
     *
     * @param endpoint the endpoint a server is about to stop listening on
     * @throws ConditionTimeoutException naming the endpoint and the listener still there on timeout
     */
    public static void untilNotListening(Endpoint endpoint) {
        untilNotListening(endpoint, DEFAULT_TIMEOUT);
    }

    /**
     * Waits up to {@code timeout} until no TCP listener serves {@code endpoint}.
     *
     * @param endpoint the endpoint a server is about to stop listening on
     * @param timeout how long to wait
     * @throws ConditionTimeoutException naming the endpoint and the listener still there on timeout
     */
    public static void untilNotListening(Endpoint endpoint, Duration timeout) {
        await(endpoint, timeout, () -> !SocketInspector.isListening(endpoint), "to stop listening");
    }

    private static void await(Endpoint endpoint, Duration timeout, BooleanSupplier condition, String what) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + " must be positive");
        }
        try {
            Poll.await(endpoint.hostPort() + " " + what, timeout).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            String found = SocketInspector.canListListeners()
                    ? "; on port " + endpoint.port() + ": " + SocketInspector.listenersOnPort(endpoint.port()).stream()
                            .map(Listener::toString).toList()
                    : "";
            throw new ConditionTimeoutException("Timed out after " + timeout.toMillis() + " ms waiting for "
                    + endpoint + " " + what + found); // with its host name, if it has one
        }
    }
}
