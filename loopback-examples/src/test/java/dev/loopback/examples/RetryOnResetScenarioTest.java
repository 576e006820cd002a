package dev.loopback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Fault;
import dev.loopback.FaultKind;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.examples.support.LineClient;
import dev.loopback.examples.support.LineServer;
import dev.loopback.junit.LoopbackTest;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@LoopbackTest
@DisplayName("Retries: a client retries a request whose connection was reset")
class RetryOnResetScenarioTest {

    /** The code under test: a client that retries failed requests on a fresh connection. */
    static final class RetryingClient {
        final List<String> failures = new ArrayList<>();
        private final dev.loopback.Endpoint server;

        RetryingClient(dev.loopback.Endpoint server) {
            this.server = server;
        }

        String ask(String question, int attempts) throws IOException {
            IOException last = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                try (LineClient client = LineClient.connect(server, Duration.ofSeconds(2))) {
                    return client.ask(question);
                } catch (IOException e) {
                    failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                    last = e;
                }
            }
            throw last;
        }
    }

    @Test
    @DisplayName("the first connection is reset; the retry on a second connection gets the answer")
    void retriesAfterConnectionReset(LoopbackSpace space, TestReporter reporter) throws Exception {
        try (LineServer server = LineServer.start(space.bind("orders"), line -> "ok " + line)) {
            TcpLink link = space.link("orders-link", server.endpoint());
            link.inject(Fault.reset().onConnection(1));

            RetryingClient client = new RetryingClient(link.endpoint());
            String answer = client.ask("order-42", 3);

            assertThat(answer).isEqualTo("ok order-42");
            assertThat(client.failures).singleElement().asString()
                    .startsWith(SocketException.class.getSimpleName())
                    .contains("Connection reset");
            assertThat(link.stats().injected(FaultKind.RESET)).isEqualTo(1);
            reporter.publishEntry("observed", "attempt 1: " + client.failures.get(0) + "; attempt 2: " + answer);
        }
    }
}
