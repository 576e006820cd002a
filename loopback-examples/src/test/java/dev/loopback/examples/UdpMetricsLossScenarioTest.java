package dev.loopback.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.FaultKind;
import dev.loopback.LoopbackSpace;
import dev.loopback.UdpLink;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@DisplayName("UDP metrics: a StatsD-style counter under 20 % loss, replayed exactly from its seed")
class UdpMetricsLossScenarioTest {

    private static final int SENT = 2_000;

    /** Sends SENT counter datagrams through a lossy link and returns the ids the collector saw. */
    static List<Integer> collectThroughLossyLink(long seed) throws Exception {
        try (LoopbackSpace space = LoopbackSpace.builder().seed(seed).open();
                DatagramChannel collector = DatagramChannel.open();
                DatagramChannel app = DatagramChannel.open()) {
            collector.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            collector.bind(space.endpoint("collector").socketAddress());
            UdpLink link = space.udpLink("metrics", Endpoint.of((InetSocketAddress) collector.getLocalAddress()));
            link.inject(Fault.loss(0.2));

            List<Integer> seen = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(512);
                try {
                    while (true) {
                        buffer.clear();
                        collector.receive(buffer);
                        buffer.flip();
                        String metric = StandardCharsets.UTF_8.decode(buffer).toString(); // "hits:1|c|#id:17"
                        seen.add(Integer.parseInt(metric.substring(metric.lastIndexOf(':') + 1)));
                    }
                } catch (Exception closed) {
                    // the collector was closed: done
                }
            });
            reader.start();
            for (int id = 0; id < SENT; id++) {
                app.send(StandardCharsets.UTF_8.encode("hits:1|c|#id:" + id), link.endpoint().socketAddress());
                if (id % 100 == 99) {
                    int sentSoFar = id + 1;
                    // pace the sender so that only the link, never the kernel, drops datagrams
                    await().atMost(Duration.ofSeconds(10)).until(() ->
                            seen.size() + link.stats().injected(FaultKind.LOSS) >= sentSoFar);
                }
            }
            collector.close();
            reader.join(5_000);
            return List.copyOf(seen);
        }
    }

    @Test
    @DisplayName("about 80 % of 2,000 counters arrive, and the same seed loses exactly the same ones")
    void lossIsRealisticAndReproducible(TestReporter reporter) throws Exception {
        long seed = 20261126L;
        List<Integer> first = collectThroughLossyLink(seed);
        List<Integer> replay = collectThroughLossyLink(seed);

        double delivered = first.size() / (double) SENT;
        double sigma = Math.sqrt(0.2 * 0.8 / SENT);
        assertThat(delivered).isBetween(0.8 - 4 * sigma, 0.8 + 4 * sigma);
        assertThat(replay).isEqualTo(first);
        reporter.publishEntry("observed", first.size() + " of " + SENT + " counters arrived ("
                + Math.round(delivered * 1000) / 10.0 + " %); seed " + seed + " replayed the identical "
                + (SENT - first.size()) + " losses");
    }
}
