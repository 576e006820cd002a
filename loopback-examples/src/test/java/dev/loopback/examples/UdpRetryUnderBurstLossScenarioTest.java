package dev.loopback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.LoopbackSpace;
import dev.loopback.UdpLink;
import dev.loopback.junit.LoopbackTest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@LoopbackTest
@DisplayName("UDP request/response: a DNS-style resolver retries through bursts of loss")
class UdpRetryUnderBurstLossScenarioTest {

    /** The code under test: a resolver that resends a query until an answer with its id arrives. */
    static final class Resolver implements AutoCloseable {
        private final DatagramChannel channel;
        private final Selector selector;
        private final SocketAddress server;
        int retries;

        Resolver(Endpoint server) throws Exception {
            this.server = server.socketAddress();
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        }

        int resolve(int id, int maxAttempts, long timeoutMillis) throws Exception {
            ByteBuffer reply = ByteBuffer.allocate(8);
            for (int attempt = 1; attempt <= maxAttempts; attempt++) {
                channel.send(ByteBuffer.allocate(4).putInt(0, id), server);
                long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
                long left;
                while ((left = deadline - System.nanoTime()) > 0) {
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                    reply.clear();
                    while (channel.receive(reply) != null) {
                        if (reply.getInt(0) == id) {
                            return reply.getInt(4);
                        }
                        reply.clear(); // a late answer to an earlier attempt
                    }
                }
                retries++;
            }
            throw new IllegalStateException("query " + id + " unanswered after " + maxAttempts + " attempts");
        }

        @Override
        public void close() throws Exception {
            selector.close();
            channel.close();
        }
    }

    @Test
    @DisplayName("Gilbert burst loss (p=5 %, r=40 %) on queries and answers: every query is answered after retries")
    void everyQueryAnsweredDespiteBurstLoss(LoopbackSpace space, TestReporter reporter) throws Exception {
        try (DatagramChannel server = DatagramChannel.open()) {
            server.bind(space.endpoint("dns").socketAddress());
            Thread answering = new Thread(() -> {
                ByteBuffer query = ByteBuffer.allocate(4);
                try {
                    while (true) {
                        query.clear();
                        SocketAddress from = server.receive(query);
                        int id = query.getInt(0);
                        server.send(ByteBuffer.allocate(8).putInt(0, id).putInt(4, id * 2), from);
                    }
                } catch (Exception closed) {
                    // server closed: done
                }
            });
            answering.start();

            UdpLink link = space.udpLink("dns-link", Endpoint.of((InetSocketAddress) server.getLocalAddress()));
            link.inject(Fault.gilbert(0.05, 0.4));
            try (Resolver resolver = new Resolver(link.endpoint())) {
                for (int id = 1; id <= 200; id++) {
                    assertThat(resolver.resolve(id, 20, 25)).isEqualTo(id * 2);
                }
                assertThat(resolver.retries).isPositive();
                reporter.publishEntry("observed", "200 of 200 queries answered with " + resolver.retries
                        + " retries; link lost " + link.stats().injected(dev.loopback.FaultKind.LOSS) + " datagrams");
            } finally {
                server.close();
                answering.join(5_000);
            }
        }
    }
}
