package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopback.testing.tcp.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TcpLinkBackpressureTest {

    private static final long PAYLOAD = 256L * 1024 * 1024;
    /** Socket buffers of the client, both link sockets and the server, which the kernel may autotune. */
    private static final long KERNEL_ALLOWANCE = 24L * 1024 * 1024; // about 8 MiB measured

    @Test
    void aServerThatStopsReadingBlocksTheClientsWritesNearTheBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        try (LoopbackSpace space = LoopbackSpace.builder().linkBufferBytes(16 * 1024).open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    release.await();
                    byte[] buf = new byte[65536];
                    int n;
                    while ((n = s.getInputStream().read(buf)) >= 0) {
                        received.addAndGet(n);
                    }
                })) {
            TcpLink link = space.link(server.endpoint());
            AtomicLong written = new AtomicLong();
            try (Socket client = connect(link)) {
                Thread writer = new Thread(() -> {
                    try {
                        OutputStream out = client.getOutputStream();
                        byte[] chunk = new byte[64 * 1024];
                        while (written.get() < PAYLOAD) {
                            out.write(chunk);
                            written.addAndGet(chunk.length);
                        }
                        client.shutdownOutput();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                writer.setDaemon(true);
                writer.start();
                long[] last = {-1, System.nanoTime()};
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    long now = written.get();
                    if (now != last[0]) {
                        last[0] = now;
                        last[1] = System.nanoTime();
                    }
                    return System.nanoTime() - last[1] > 500_000_000L;
                });
                long blockedAt = written.get();
                assertThat(writer.isAlive()).as("the client's write blocks").isTrue();
                assertThat(blockedAt).as("bytes accepted before the writer blocked").isLessThan(KERNEL_ALLOWANCE)
                        .isLessThan(PAYLOAD / 4);
                assertThat(link.stats().bytesToServer()).isLessThan(KERNEL_ALLOWANCE);

                release.countDown();
                writer.join(60_000);
                await().atMost(Duration.ofSeconds(60)).until(() -> received.get() == PAYLOAD);
            }
        }
    }
}
