package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopback.testing.tcp.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A shared bandwidth splits evenly between the connections that use it, as a shared bottleneck does. */
@Isolated("measures throughput over a second: other tests' load on the two cores would skew it")
class TcpLinkFairShareTest {

    private static final long RATE = 1 << 20;

    @ParameterizedTest(name = "{0} downloads")
    @ValueSource(ints = {4, 16})
    void parallelDownloadsEachGetAnEqualShareOverTwoSeconds(int downloads) throws Exception {
        byte[] chunk = new byte[16 * 1024];
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", downloads, s -> {
                    OutputStream out = s.getOutputStream();
                    try {
                        while (true) {
                            out.write(chunk);
                        }
                    } catch (IOException clientLeft) {
                        // the download ends when the client closes
                    }
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.bandwidth(RATE).shared().toClient());
            AtomicLongArray received = new AtomicLongArray(downloads);
            List<Socket> clients = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            try {
                for (int i = 0; i < downloads; i++) {
                    Socket client = connect(link);
                    clients.add(client);
                    int index = i;
                    Thread reader = new Thread(() -> {
                        byte[] b = new byte[64 * 1024];
                        try (InputStream in = client.getInputStream()) {
                            for (int n; (n = in.read(b)) > 0; ) {
                                received.addAndGet(index, n);
                            }
                        } catch (IOException closed) {
                            // the test closed it
                        }
                    }, "download-" + i);
                    reader.start();
                    readers.add(reader);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> allPositive(received));
                // Let the senders' buffers fill, then measure two seconds. Most seconds every share is within
                // 1 % of the mean, but now and then one connection falls behind for a few hundred ms (one
                // second at -21 % in NetworkFidelity on a quiet machine, two seconds at -31 % in CI) since a
                // link's connections run on both engine threads. Unfair sharing, the bug this guards
                // against, gave one download of four twice the rate of the others (+60 % of the mean).
                long warm = System.nanoTime();
                await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> System.nanoTime() - warm > 300_000_000);
                // Measured where the link writes each client's socket: a reader thread the scheduler
                // delays leaves bytes in its kernel buffer, which would skew a count taken at the reader.
                long[] before = sent(link);
                long start = System.nanoTime();
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> System.nanoTime() - start >= 2_000_000_000L);
                long[] after = sent(link);
                assertThat(after).as("every download still running").hasSize(downloads).hasSameSizeAs(before);
                double seconds = (System.nanoTime() - start) / 1e9;
                long[] shares = new long[downloads];
                for (int i = 0; i < downloads; i++) {
                    shares[i] = after[i] - before[i];
                }
                double mean = Arrays.stream(shares).average().orElseThrow();
                assertThat(Arrays.stream(shares).sum() / seconds).as("the total rate holds: " + Arrays.toString(shares))
                        .isBetween(RATE * 0.8, RATE * 1.2);
                for (long share : shares) {
                    assertThat(share).as("each download's share of %s (mean %.0f)", Arrays.toString(shares), mean)
                            .isBetween((long) (mean * 0.6), (long) (mean * 1.4));
                }
            } finally {
                for (Socket c : clients) {
                    c.close();
                }
                for (Thread r : readers) {
                    r.join(10_000);
                }
            }
        }
    }

    private static boolean allPositive(AtomicLongArray a) {
        for (int i = 0; i < a.length(); i++) {
            if (a.get(i) == 0) {
                return false;
            }
        }
        return true;
    }

    private static long[] sent(TcpLink link) {
        return link.connections().stream().mapToLong(TcpConnection::bytesToClient).toArray();
    }
}
