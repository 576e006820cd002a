package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.testing.tcp.Payloads;
import dev.loopback.testing.tcp.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpLinkSliceTest {

    @Test
    void sliceCutsOneWriteIntoSmallDelayedSegmentsWithTheSameBytes() throws Exception {
        byte[] payload = Payloads.random(3, 3000);
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    s.getOutputStream().write(payload);
                    s.getInputStream().readAllBytes();
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.slice(100, 20, Duration.ofMillis(5)).toClient());
            try (Socket client = connect(link)) {
                InputStream in = client.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                int reads = 0;
                int small = 0;
                long start = System.nanoTime();
                while (got.size() < payload.length) {
                    int n = in.read(buf);
                    got.write(buf, 0, n);
                    reads++;
                    small += n <= 120 ? 1 : 0; // a late reader may see two segments at once
                }
                assertThat(got.toByteArray()).isEqualTo(payload);
                assertThat(reads).isGreaterThanOrEqualTo(10);
                assertThat(small).as("most reads are one segment of at most 120 bytes").isGreaterThan(reads / 2);
                // At least 25 segments of at most 120 bytes, 5 ms apart: the link cannot deliver faster.
                assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(24 * 5);
            }
        }
    }
}
