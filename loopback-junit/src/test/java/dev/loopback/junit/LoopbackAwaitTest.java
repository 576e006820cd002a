package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.opentest4j.AssertionFailedError;

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
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("Timed out after 100 ms waiting for " + endpoint.hostPort() + " to be listening");
    }

    @Test
    void timeoutWhileStillListeningNamesTheListener(@LoopbackAddress Endpoint endpoint) throws IOException {
        try (ServerSocket server = new ServerSocket(endpoint.port(), 50, endpoint.address())) {
            assertThatThrownBy(() -> LoopbackAwait.untilNotListening(endpoint, Duration.ofMillis(100)))
                    .isInstanceOf(AssertionFailedError.class)
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
    void rejectsANonPositiveTimeout(@LoopbackAddress Endpoint endpoint) {
        assertThatThrownBy(() -> LoopbackAwait.untilListening(endpoint, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
