package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopback.testing.tcp.TestServer;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpLinkCutTest {

    @Test
    void cutAfterBytesDeliversExactlyThatManyThenEof() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    s.getOutputStream().write(new byte[50_000]);
                    s.getInputStream().readAllBytes();
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.cutAfter(1000));
            try (Socket client = connect(link)) {
                assertThat(client.getInputStream().readAllBytes()).hasSize(1000);
            }
            // The engine journals FIN_SENT just after the FIN left, so the client may see EOF a moment earlier.
            await().atMost(Duration.ofSeconds(10)).until(() -> link.events().stream()
                    .anyMatch(e -> e.type() == LinkEvent.Type.FIN_SENT));
            assertThat(link.events()).extracting(LinkEvent::type).contains(LinkEvent.Type.FAULT_FIRED)
                    .doesNotContain(LinkEvent.Type.RST_SENT);
        }
    }

    @Test
    void cutAfterAnAgeClosesWithFin() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            // Long enough that the echo below makes it before the cut on a loaded 2-CPU CI machine
            // (200 ms failed once there: the age runs from the accept, before the echo server answers).
            link.inject(Fault.cutAfter(Duration.ofMillis(1000)));
            try (Socket client = connect(link)) {
                long start = System.nanoTime();
                client.getOutputStream().write(1);
                assertThat(client.getInputStream().read()).isEqualTo(1);
                assertThat(client.getInputStream().read()).isEqualTo(-1);
                assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(750);
            }
        }
    }
}
