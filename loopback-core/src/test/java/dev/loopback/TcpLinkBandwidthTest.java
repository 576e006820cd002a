package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.testing.tcp.TestServer;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class TcpLinkBandwidthTest {

    @Test
    void bandwidthLimitsThroughputToAboutTheRate() throws Exception {
        int bytes = 200_000;
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    s.getOutputStream().write(new byte[bytes]);
                    s.shutdownOutput();
                    s.getInputStream().readAllBytes();
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.bandwidth(400_000).toClient());
            try (Socket client = connect(link)) {
                long start = System.nanoTime();
                assertThat(client.getInputStream().readAllBytes()).hasSize(bytes);
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(seconds).as("200 KB at 400 KB/s").isBetween(0.4, 2.0);
            }
        }
    }

    @Test
    void sharedBandwidthIsSplitBetweenConnections() throws Exception {
        int bytes = 100_000;
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 2, s -> {
                    s.getOutputStream().write(new byte[bytes]);
                    s.shutdownOutput();
                    s.getInputStream().readAllBytes();
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.bandwidth(400_000).shared().toClient());
            try (Socket a = connect(link); Socket b = connect(link)) {
                long start = System.nanoTime();
                Thread other = new Thread(() -> {
                    try {
                        b.getInputStream().readAllBytes();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                other.start();
                assertThat(a.getInputStream().readAllBytes()).hasSize(bytes);
                other.join();
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(seconds).as("2 x 100 KB through one 400 KB/s bucket").isBetween(0.4, 2.0);
            }
        }
    }
}
