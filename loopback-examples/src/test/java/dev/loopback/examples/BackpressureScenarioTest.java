package dev.loopback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@DisplayName("Backpressure: a producer's write timeout fires when the consumer stops reading")
class BackpressureScenarioTest {

    /** The code under test: a producer that gives up when a write makes no progress for a while. */
    static long produceUntilStalled(SocketChannel channel, long payload, long stallMillis) throws Exception {
        channel.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long written = 0;
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_WRITE);
            while (written < payload) {
                if (selector.select(stallMillis) == 0) {
                    return written; // no progress for stallMillis: the write timed out
                }
                selector.selectedKeys().clear();
                chunk.clear();
                written += channel.write(chunk);
            }
        }
        return written;
    }

    @Test
    @DisplayName("with a 64 KiB link buffer, the producer stalls after a few MiB of a 256 MiB payload")
    void producerStallsWhenConsumerStopsReading(TestReporter reporter) throws Exception {
        try (LoopbackSpace space = LoopbackSpace.builder().linkBufferBytes(64 * 1024).open();
                ServerSocketChannel consumer = space.bind("consumer")) {
            TcpLink link = space.link("pipe", dev.loopback.Endpoint.of(
                    (java.net.InetSocketAddress) consumer.getLocalAddress()));
            long payload = 256L * 1024 * 1024;
            try (SocketChannel producer = SocketChannel.open(link.endpoint().socketAddress());
                    SocketChannel neverReads = consumer.accept()) {
                producer.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
                long written = produceUntilStalled(producer, payload, 500);

                assertThat(neverReads.isOpen()).isTrue();
                assertThat(written).isLessThan(32L * 1024 * 1024);
                reporter.publishEntry("observed", "write stalled after " + written / 1024
                        + " KiB of 262144 KiB (link buffer 64 KiB plus kernel socket buffers)");
            }
        }
    }
}
