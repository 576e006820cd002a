package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.Endpoint;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.awaitility.core.ConditionTimeoutException;

/** Waiting for a server that starts or stops in the background. */
@LoopbackTest
class LoopbackAwaitTest {

    private ScheduledExecutorService background;

    @BeforeEach
    void startBackground() {
        background = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopBackground() throws InterruptedException {
        background.shutdownNow();
        assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void untilListeningReturnsOnceAServerStartsInTheBackground(@LoopbackAddress Endpoint endpoint) throws Exception {
        ScheduledFuture<ServerSocket> server = background.schedule(
                () -> new ServerSocket(endpoint.port(), 50, endpoint.address()), 200, TimeUnit.MILLISECONDS);
        LoopbackAwait.untilListening(endpoint);
        try (ServerSocket started = server.get(10, TimeUnit.SECONDS)) {
            assertThat(started.isBound()).isTrue();
        }
    }

    @Test
    void untilNotListeningReturnsOnceTheServerStops(@LoopbackAddress Endpoint endpoint) throws IOException {
        ServerSocket server = new ServerSocket(endpoint.port(), 50, endpoint.address());
        try {
            background.schedule(() -> {
                server.close();
                return null;
            }, 200, TimeUnit.MILLISECONDS);
            LoopbackAwait.untilNotListening(endpoint, Duration.ofSeconds(10));
            assertThat(server.isClosed()).isTrue();
        } finally {
            server.close();
        }
    }

    @Test
    void timeoutNamesTheEndpoint(@LoopbackAddress Endpoint endpoint) {
        assertThatThrownBy(() -> LoopbackAwait.untilListening(endpoint, Duration.ofMillis(100)))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessageStartingWith("Timed out after 100 ms waiting for " + endpoint.hostPort() + " to be listening");
    }

    @Test
    void timeoutOfAnEndpointWithAHostNameShowsTheNameAndTheAddress(@LoopbackAddress Endpoint endpoint) {
        Endpoint named = endpoint.withHostName("web.s7.loopback.test"); // printing needs no resolver: any JDK
        assertThatThrownBy(() -> LoopbackAwait.untilListening(named, Duration.ofMillis(100)))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessageStartingWith("Timed out after 100 ms waiting for web.s7.loopback.test:" + endpoint.port()
                        + " (" + endpoint.hostPort() + ") to be listening");
    }

    @Test
    void timeoutWhileStillListeningNamesTheListener(@LoopbackAddress Endpoint endpoint) throws IOException {
        try (ServerSocket server = new ServerSocket(endpoint.port(), 50, endpoint.address())) {
            assertThatThrownBy(() -> LoopbackAwait.untilNotListening(endpoint, Duration.ofMillis(100)))
                    .isInstanceOf(ConditionTimeoutException.class)
                    .hasMessageContaining(endpoint.hostPort() + " to stop listening")
                    .hasMessageContaining("tcp " + endpoint.hostPort());
        }
    }

    @Test
    void anInterruptEndsTheWaitAtOnceSayingSo(@LoopbackAddress Endpoint endpoint) {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> LoopbackAwait.untilListening(endpoint, Duration.ofMinutes(5)))
                    .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("interrupted"));
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt stays set").isTrue();
        }
    }

    @Test
    void ourAssertionsAreConditionsForAwaitilitysUntilAsserted(@LoopbackAddress Endpoint endpoint) throws Exception {
        ScheduledFuture<ServerSocket> server = background.schedule(
                () -> new ServerSocket(endpoint.port(), 50, endpoint.address()), 200, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> LoopbackAssertions.assertThat(endpoint).isListening());
        try (ServerSocket started = server.get(10, TimeUnit.SECONDS)) {
            assertThat(started.isBound()).isTrue();
        }
    }

    @Test
    void awaitilitysTimeoutCarriesOurAssertionsMessage(@LoopbackAddress Endpoint endpoint) {
        // 2 s, not less: Awaitility quotes the assertion only once one evaluation has finished, and the
        // first socket-table query of a JVM (linking the FFM calls on JDK 22+) can take a while under load.
        assertThatThrownBy(() -> await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> LoopbackAssertions.assertThat(endpoint).isListening()))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessageContaining("Expecting " + endpoint + " to be listening (TCP), but nothing listens there");
    }

    @Test
    void rejectsANonPositiveTimeout(@LoopbackAddress Endpoint endpoint) {
        assertThatThrownBy(() -> LoopbackAwait.untilListening(endpoint, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
