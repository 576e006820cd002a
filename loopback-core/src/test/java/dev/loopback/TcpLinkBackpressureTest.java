package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopback.testing.tcp.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TcpLinkBackpressureTest {

    /**
     * What may sit outside the link's bound before the writer blocks: the link's one pass-through
     * read (4 MiB) and the socket buffers of the client, both link sockets and the server, each of
     * which the kernel may autotune up to its {@code tcp_wmem}/{@code tcp_rmem} maximum (32 MiB
     * receive buffers on some machines, so this is no constant).
     */
    private static final long ALLOWANCE = 4L * 1024 * 1024
            + 2 * kernelMax("/proc/sys/net/ipv4/tcp_wmem", 4L << 20) + 2 * kernelMax("/proc/sys/net/ipv4/tcp_rmem", 6L << 20);
    private static final int BOUND = 16 * 1024;
    private static final long PAYLOAD = Math.max(256L << 20, 4 * ALLOWANCE);

    /** The third (maximum) figure of a Linux {@code tcp_rmem}/{@code tcp_wmem} setting, or {@code fallback} off Linux. */
    private static long kernelMax(String setting, long fallback) {
        Path path = Path.of(setting);
        if (!Files.isReadable(path)) {
            return fallback;
        }
        try {
            // readAllLines, not readString: a /proc/sys file reports size 0, and readString returns a truncated text
            return Long.parseLong(Files.readAllLines(path).get(0).trim().split("\\s+")[2]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aServerThatStopsReadingBlocksTheClientsWritesNearTheBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        try (LoopbackSpace space = LoopbackSpace.builder().linkBufferBytes(BOUND).open();
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
                assertThat(blockedAt).as("bytes accepted before the writer blocked").isLessThan(ALLOWANCE + BOUND);
                assertThat(link.stats().bytesToServer()).isLessThan(ALLOWANCE);

                release.countDown();
                writer.join(60_000);
                await().atMost(Duration.ofSeconds(60)).until(() -> received.get() == PAYLOAD);
            }
        }
    }
}
