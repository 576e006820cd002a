package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.testing.tcp.Payloads;
import dev.loopback.testing.tcp.TestServer;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpLinkLossTest {

    @Test
    void lossStallsTheChunkLikeARetransmissionAndKeepsTheBytes() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.loss(1).stall(Duration.ofMillis(150)).toServer());
            try (Socket client = connect(link)) {
                long start = System.nanoTime();
                client.getOutputStream().write("abc".getBytes());
                assertThat(client.getInputStream().readNBytes(3)).isEqualTo("abc".getBytes());
                assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(150);
            }
            assertThat(link.stats().stalls()).isEqualTo(1);
            assertThat(link.stats().injected(FaultKind.LOSS)).isEqualTo(1);
        }
    }

    // Loss decides per segment of the stream (TcpLink.SEGMENT_BYTES), so each echo is one segment.
    @Test
    void partialLossStallsSomeSegmentsAndLosesNoByte() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.builder().seed(42).open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.loss(0.3).stall(Duration.ofMillis(5)).toServer());
            try (Socket client = connect(link)) {
                for (int i = 0; i < 40; i++) {
                    byte[] segment = Payloads.random(i, TcpLink.SEGMENT_BYTES);
                    client.getOutputStream().write(segment);
                    assertThat(client.getInputStream().readNBytes(segment.length)).isEqualTo(segment);
                }
            }
            assertThat(link.stats().stalls()).isBetween(1L, 39L);
        }
    }
}
