package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.testing.tcp.TestServer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TcpLinkLatencyTest {

    @Test
    void latencyOf50msEachWayMakesARoundTripAtLeast100ms() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.latency(Duration.ofMillis(50)));
            try (Socket client = connect(link)) {
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    client.getOutputStream().write(i);
                    assertThat(client.getInputStream().read()).isEqualTo(i);
                    long rttMillis = (System.nanoTime() - start) / 1_000_000;
                    // Never early; the upper bound only has to survive a loaded CI machine running tests in parallel.
                    assertThat(rttMillis).isGreaterThanOrEqualTo(100).isLessThan(100 + 2_000);
                }
            }
        }
    }

    @Test
    void jitteredChunksAreNeverReorderedAndDelaysDoNotAccumulate() throws Exception {
        int messages = 200;
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.latency(Duration.ofMillis(20)).jitter(Duration.ofMillis(15)).distribution(Distribution.NORMAL)
                    .toServer());
            try (Socket client = connect(link)) {
                DataOutputStream out = new DataOutputStream(client.getOutputStream());
                DataInputStream in = new DataInputStream(client.getInputStream());
                long start = System.nanoTime();
                // A sender of one message per millisecond, so that the link reads (and jitters) many chunks.
                ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
                AtomicInteger next = new AtomicInteger();
                try {
                    sender.scheduleAtFixedRate(() -> {
                        int i = next.getAndIncrement();
                        if (i < messages) {
                            try {
                                out.writeInt(i);
                                out.flush();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    }, 0, 1, TimeUnit.MILLISECONDS);
                    for (int i = 0; i < messages; i++) {
                        assertThat(in.readInt()).isEqualTo(i);
                    }
                } finally {
                    sender.shutdownNow();
                }
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                // 200 writes of 1 ms each, plus ~20 ms (at most ~80 ms with jitter) once: delays do not add up.
                assertThat(elapsed).isLessThan(200 + 2_000);
            }
        }
    }
}
