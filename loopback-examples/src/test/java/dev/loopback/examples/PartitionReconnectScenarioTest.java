package dev.loopback.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.examples.support.LineClient;
import dev.loopback.examples.support.LineServer;
import dev.loopback.junit.LoopbackTest;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@LoopbackTest
@DisplayName("Partitions: a client notices a silent network partition and reconnects after it heals")
class PartitionReconnectScenarioTest {

    /** The code under test: a client that drops a connection whose reads time out and reconnects. */
    static final class ReconnectingClient implements AutoCloseable {
        private final Endpoint server;
        private LineClient connection;
        int connects;

        ReconnectingClient(Endpoint server) {
            this.server = server;
        }

        String ask(String question) throws IOException {
            if (connection == null) {
                connection = LineClient.connect(server, Duration.ofMillis(300));
                connects++;
            }
            try {
                return connection.ask(question);
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }

    @Test
    @DisplayName("during partition() reads time out and nothing is lost; after heal() a new connection works")
    void clientReconnectsAfterHeal(LoopbackSpace space, TestReporter reporter) throws Exception {
        try (LineServer server = LineServer.start(space.bind("kv"), line -> "value-of-" + line)) {
            TcpLink link = space.link("kv-link", server.endpoint());
            ReconnectingClient client = new ReconnectingClient(link.endpoint());
            assertThat(client.ask("a")).isEqualTo("value-of-a");

            link.partition();
            assertThatThrownBy(() -> client.ask("b")).isInstanceOf(SocketTimeoutException.class);
            reporter.publishEntry("observed", "partitioned: read timed out after 300 ms, connection dropped");

            link.heal();
            assertThat(client.ask("c")).isEqualTo("value-of-c");
            assertThat(client.connects).isEqualTo(2);
            reporter.publishEntry("observed", "healed: reconnected (connection " + client.connects
                    + ") and got value-of-c; link accepted " + link.stats().accepted() + " connections");
            client.close();
        }
    }
}
