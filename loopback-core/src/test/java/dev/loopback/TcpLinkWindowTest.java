package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.testing.tcp.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
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
