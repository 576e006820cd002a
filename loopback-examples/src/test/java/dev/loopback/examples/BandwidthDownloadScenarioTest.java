package dev.loopback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@dev.loopback.junit.LoopbackTest
@DisplayName("Bandwidth: a download over a 256 KiB/s link takes as long as the link says")
class BandwidthDownloadScenarioTest {

    @Test
    @DisplayName("512 KiB through bandwidth(256 KiB/s) takes about two seconds, every byte intact")
    void downloadIsPacedByTheLink(LoopbackSpace space, TestReporter reporter) throws Exception {
        byte[] file = new byte[512 * 1024];
        new java.util.Random(7).nextBytes(file);
        try (ServerSocketChannel listener = space.bind("files")) {
            CompletableFuture<Void> serve = CompletableFuture.runAsync(() -> {
                try (SocketChannel client = listener.accept(); OutputStream out = client.socket().getOutputStream()) {
                    out.write(file);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            TcpLink link = space.link("slow", Endpoint.of((InetSocketAddress) listener.getLocalAddress()));
            link.inject(Fault.bandwidth(256 * 1024).toClient());

            long start = System.nanoTime();
            byte[] received;
            try (Socket socket = new Socket()) {
                socket.connect(link.endpoint().socketAddress());
                InputStream in = socket.getInputStream();
                received = in.readAllBytes();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            serve.join();

            assertThat(received).isEqualTo(file);
            assertThat(seconds).isBetween(1.5, 8.0);
            reporter.publishEntry("observed", String.format(java.util.Locale.ROOT,
                    "512 KiB in %.2f s = %.0f KiB/s (requested 256 KiB/s)", seconds, 512 / seconds));
        }
    }
}
