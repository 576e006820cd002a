package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopback.testing.tcp.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * When, and whether, a link dials the upstream of a connection: never for a client that left
 * before the dial (no ghost connections), and after a latency's handshake.
 */
class TcpLinkDialTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void clientThatClosesDuringAPartitionIsNeverDialled() throws Exception {
        assertNoGhost(TcpLink::partition, TcpLink::heal, false);
    }

    @Test
    void clientThatResetsDuringSlowOpenIsNeverDialled() throws Exception {
        assertNoGhost(link -> link.inject(Fault.slowOpen(Duration.ofMinutes(1))), TcpLink::clear, true);
    }

    @Test
    void clientThatClosesDuringAFreezeIsNeverDialled() throws Exception {
        assertNoGhost(link -> link.inject(Fault.freeze()), TcpLink::clear, false);
    }

    /** A client connects while {@code hold} keeps its upstream undialled, sends a request and leaves; after {@code release} only a later client reaches the server. */
    private static void assertNoGhost(Consumer<TcpLink> hold, Consumer<TcpLink> release, boolean reset) throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 2)) {
            TcpLink link = space.link(server.endpoint());
            hold.accept(link);
            try (Socket gone = connect(link)) {
                gone.getOutputStream().write("CLIENT SETNAME ghost\r\n".getBytes());
                if (reset) {
                    gone.setSoLinger(true, 0);
                }
            }
            await().atMost(WAIT).until(() -> link.stats().closed() == 1);
            release.accept(link);
            try (Socket later = connect(link)) {
                later.getOutputStream().write(1);
                assertThat(later.getInputStream().read()).isEqualTo(1);
            }
            assertThat(server.accepted()).as("the client that left was never dialled").isEqualTo(1);
            assertThat(link.stats().bytesToServer()).as("nor did its request reach the server").isEqualTo(1);
        }
    }

    @Test
    void clientThatClosesAfterItsDialKeepsItsBytesUntilHeal() throws Exception {
        ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    ByteArrayOutputStream in = new ByteArrayOutputStream();
                    s.getInputStream().transferTo(in);
                    heard.add(in.toString());
                })) {
            TcpLink link = space.link(server.endpoint());
            try (Socket client = connect(link)) {
                await().atMost(WAIT).until(() -> server.accepted() == 1);
                link.partition();
                client.getOutputStream().write("bye".getBytes());
            }
            await().atMost(WAIT).until(() -> link.stats().active() == 1);
            assertThat(heard).as("held while partitioned").isEmpty();
            link.heal();
            await().atMost(WAIT).untilAsserted(() -> assertThat(heard)
                    .as("a closed client's kernel would still be retransmitting: bytes and FIN arrive").containsExactly("bye"));
        }
    }

    @Test
    void latencyDialsTheUpstreamAfterTheHandshakeWouldHaveCrossed() throws Exception {
        Duration oneWay = Duration.ofMillis(100);
        ConcurrentLinkedQueue<Long> acceptedAt = new ConcurrentLinkedQueue<>();
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    acceptedAt.add(System.nanoTime());
                    s.getInputStream().transferTo(s.getOutputStream());
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.latency(oneWay));
            long start = System.nanoTime();
            try (Socket client = connect(link)) {
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("connect() completes locally")
                        .isLessThan(oneWay);
                client.getOutputStream().write(1);
                assertThat(client.getInputStream().read()).isEqualTo(1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("first reply: connect RTT + request RTT")
                        .isGreaterThanOrEqualTo(oneWay.multipliedBy(4));
            }
            assertThat(Duration.ofNanos(acceptedAt.remove() - start)).as("SYN, SYN-ACK, ACK crossed before the server accepts")
                    .isGreaterThanOrEqualTo(oneWay.multipliedBy(3));
        }
    }
}
