package dev.loopback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.examples.support.LineClient;
import dev.loopback.examples.support.LineServer;
import dev.loopback.junit.LoopbackTest;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@LoopbackTest
@DisplayName("Failover: a client moves to its secondary when the primary refuses connections")
class RefusedFailoverScenarioTest {

    /** The code under test: a client with an ordered list of servers. */
    static String askFirstAvailable(List<Endpoint> servers, String question, List<String> errors) throws IOException {
        for (Endpoint server : servers) {
            try (LineClient client = LineClient.connect(server, Duration.ofSeconds(2))) {
                return client.ask(question);
            } catch (ConnectException refused) {
                errors.add(server + ": " + refused.getMessage());
            }
        }
        throw new IOException("no server available: " + errors);
    }

    @Test
    @DisplayName("refuse() on the primary: ConnectException 'Connection refused', answer from the secondary")
    void failsOverWhenPrimaryRefuses(LoopbackSpace space, TestReporter reporter) throws Exception {
        try (LineServer primary = LineServer.start(space.bind("primary"), line -> "primary " + line);
                LineServer secondary = LineServer.start(space.bind("secondary"), line -> "secondary " + line)) {
            TcpLink toPrimary = space.link("to-primary", primary.endpoint());
            TcpLink toSecondary = space.link("to-secondary", secondary.endpoint());
            toPrimary.inject(Fault.refuse());

            List<String> errors = new ArrayList<>();
            String answer = askFirstAvailable(List.of(toPrimary.endpoint(), toSecondary.endpoint()), "status", errors);

            assertThat(answer).isEqualTo("secondary status");
            assertThat(errors).singleElement().asString().contains("Connection refused");
            assertThat(primary.accepted()).isZero();
            reporter.publishEntry("observed", errors.get(0) + " -> answered by " + answer.split(" ")[0]);
        }
    }
}
