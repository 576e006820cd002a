package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.awaitility.Awaitility.await;

import dev.loopback.testing.tcp.Payloads;
import dev.loopback.testing.tcp.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Latency and throughput: a link bounds the bytes it delays by a TCP window, apart from its buffer
 * bound, so a bulk transfer through a latency runs at window ÷ round trip, as on a real path.
 */
class TcpLinkWindowTest {

    private static final Duration ONE_WAY = Duration.ofMillis(50);
    private static final double RTT_SECONDS = 2 * ONE_WAY.toNanos() / 1e9;

    @Test
    void bulkDownloadThroughLatencyIsLimitedByTheWindowNotTheBuffer() throws Exception {
        int bytes = 32 << 20;
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = download(space, bytes)) {
            double seconds = downloadSeconds(space, server, bytes);
            double windowLimited = bytes / (LoopbackSpace.DEFAULT_LINK_WINDOW_BYTES / RTT_SECONDS);
            // The buffer bound alone (256 KiB held for 50 ms) would take 6.4 s; the window allows 0.8 s
            // plus the handshake and request (0.2 s). The upper bound survives a loaded machine.
            assertThat(seconds).as("32 MiB through latency(50 ms) with a 4 MiB window")
                    .isGreaterThanOrEqualTo(windowLimited).isLessThan(windowLimited + 2.5);
        }
    }

    @Test
    void aSmallerWindowLimitsThroughputToWindowOverRoundTrip() throws Exception {
        int window = 512 * 1024;
        int bytes = 4 << 20;
        try (LoopbackSpace space = LoopbackSpace.builder().linkWindowBytes(window).open();
                TestServer server = download(space, bytes)) {
            double seconds = downloadSeconds(space, server, bytes);
            double windowLimited = bytes / (window / RTT_SECONDS);
            assertThat(seconds).as("4 MiB with a 512 KiB window: 8 round trips at least")
                    .isGreaterThanOrEqualTo(windowLimited).isLessThan(windowLimited * 2 + 1);
        }
    }

    @Test
    void downloadHeldByAPartitionWhileItsWindowIsFullDeliversEveryByteAfterHeal() throws Exception {
        byte[] payload = Payloads.random(11, 24 << 20);
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    s.getInputStream().read();
                    s.getOutputStream().write(payload);
                    s.shutdownOutput();
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.latency(ONE_WAY));
            try (Socket client = connect(link)) {
                client.getOutputStream().write(1);
                InputStream in = client.getInputStream();
                MessageDigest digest = Payloads.digest();
                byte[] b = new byte[64 * 1024];
                long received = 0;
                while (received < 2 << 20) { // the window is full from the first round trip on
                    int n = in.read(b);
                    digest.update(b, 0, n);
                    received += n;
                }
                link.partition();
                client.setSoTimeout(500);
                try {
                    for (int n; (n = in.read(b)) > 0; ) { // what the kernels had buffered before the partition
                        digest.update(b, 0, n);
                        received += n;
                    }
                    throw new AssertionError("the download ended during the partition");
                } catch (SocketTimeoutException held) {
                    assertThat(received).as("held mid-transfer").isLessThan(payload.length);
                }
                link.heal();
                client.setSoTimeout(10_000);
                for (int n; (n = in.read(b)) > 0; ) {
                    digest.update(b, 0, n);
                    received += n;
                }
                assertThat(received).isEqualTo(payload.length);
                assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(Payloads.sha256(payload));
            }
        }
    }

    @Test
    void uploadHeldByAPartitionWhileItsWindowIsFullDeliversEveryByteAfterHeal() throws Exception {
        byte[] payload = Payloads.random(12, 24 << 20);
        LinkedBlockingQueue<String> uploaded = new LinkedBlockingQueue<>();
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    long[] count = new long[1];
                    String sha = Payloads.sha256(s.getInputStream(), count);
                    uploaded.add(count[0] + " bytes, sha256 " + sha);
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.latency(ONE_WAY));
            try (Socket client = connect(link)) {
                CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                    try {
                        client.getOutputStream().write(payload);
                        client.shutdownOutput();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().bytesToServer() >= 2 << 20);
                link.partition();
                assertThat(uploaded.poll(500, TimeUnit.MILLISECONDS)).as("the upload is held").isNull();
                link.heal();
                assertThat(uploaded.poll(10, TimeUnit.SECONDS))
                        .isEqualTo(payload.length + " bytes, sha256 " + Payloads.sha256(payload));
                upload.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void windowOutsideItsRangeIsRefusedNamingTheRange() {
        assertThatThrownBy(() -> LoopbackSpace.builder().linkWindowBytes(1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("link window 1024 bytes is outside 65536..268435456");
    }

    private static TestServer download(LoopbackSpace space, int bytes) {
        return TestServer.start(space, "server", 1, s -> {
            s.getInputStream().read();
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk);
            }
            s.shutdownOutput();
        });
    }

    /** Seconds from the request to the last byte, with {@code latency(50 ms)} both ways. */
    private static double downloadSeconds(LoopbackSpace space, TestServer server, int bytes) throws Exception {
        TcpLink link = space.link(server.endpoint());
        link.inject(Fault.latency(ONE_WAY));
        try (Socket client = connect(link)) {
            long start = System.nanoTime();
            client.getOutputStream().write(1);
            InputStream in = client.getInputStream();
            byte[] b = new byte[256 * 1024];
            long total = 0;
            for (int n; (n = in.read(b)) > 0; ) {
                total += n;
            }
            assertThat(total).isEqualTo(bytes);
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
