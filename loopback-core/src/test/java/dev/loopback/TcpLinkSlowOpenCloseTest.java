package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.testing.tcp.TestServer;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpLinkSlowOpenCloseTest {

    @Test
    void slowOpenAcceptsAtOnceButDialsTheServerLater() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.slowOpen(Duration.ofMillis(300)));
            long start = System.nanoTime();
            try (Socket client = connect(link)) {
                assertThat((System.nanoTime() - start) / 1_000_000).as("connect returns at once").isLessThan(250);
                client.getOutputStream().write(1);
                assertThat(client.getInputStream().read()).isEqualTo(1);
                assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
            }
            assertThat(link.stats().injected(FaultKind.SLOW_OPEN)).isEqualTo(1);
        }
    }

    @Test
    void slowCloseDelaysTheFinButNotTheData() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    s.getOutputStream().write("data".getBytes());
                    s.shutdownOutput();
                    s.getInputStream().readAllBytes();
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.slowClose(Duration.ofMillis(300)).toClient());
            try (Socket client = connect(link)) {
                assertThat(client.getInputStream().readNBytes(4)).isEqualTo("data".getBytes());
                long dataAt = System.nanoTime();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
                assertThat((System.nanoTime() - dataAt) / 1_000_000).isGreaterThanOrEqualTo(250);
            }
        }
    }
}
