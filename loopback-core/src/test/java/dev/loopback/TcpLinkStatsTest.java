package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopback.testing.tcp.TestServer;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class TcpLinkStatsTest {

    @Test
    void statsAndConnectionsCountWhatPassed() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 2)) {
            TcpLink link = space.link(server.endpoint());
            try (Socket a = connect(link); Socket b = connect(link)) {
                a.getOutputStream().write(new byte[100]);
                assertThat(a.getInputStream().readNBytes(100)).hasSize(100);
                b.getOutputStream().write(new byte[7]);
                assertThat(b.getInputStream().readNBytes(7)).hasSize(7);

                await().atMost(Duration.ofSeconds(10)).until(() -> link.connections().stream()
                        .mapToLong(TcpConnection::bytesToClient).sum() == 107);
                List<TcpConnection> live = link.connections();
                assertThat(live).extracting(TcpConnection::id).containsExactly(1L, 2L);
                assertThat(live.get(0).bytesToServer()).isEqualTo(100);
                assertThat(live.get(0).bytesToClient()).isEqualTo(100);
                assertThat(live.get(1).bytesToServer()).isEqualTo(7);
                assertThat(live.get(0).client().getPort()).isEqualTo(a.getLocalPort());
                assertThat(live.get(0).age()).isPositive();
                // The link counts a write after it returns; the client may read the bytes a moment earlier.
                await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().bytesToClient() == 107);
                TcpStats stats = link.stats();
                assertThat(stats.accepted()).isEqualTo(2);
                assertThat(stats.active()).isEqualTo(2);
                assertThat(stats.bytesToServer()).isEqualTo(107);
                assertThat(stats.bytesToClient()).isEqualTo(107);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().closed() == 2);
            assertThat(link.stats().active()).isZero();
            assertThat(link.connections()).isEmpty();
        }
    }

    @Test
    void concurrentConnectionsServedByBothEngineThreadsAreCountedToTheByte() throws Exception {
        int connections = 16;
        int pings = 2_000;
        int size = 100;
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, connections)) {
            TcpLink link = space.link(server.endpoint());
            List<Socket> clients = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            try {
                for (int c = 0; c < connections; c++) {
                    Socket client = connect(link);
                    clients.add(client);
                    Thread t = new Thread(() -> {
                        try {
                            byte[] ping = new byte[size];
                            for (int i = 0; i < pings; i++) {
                                client.getOutputStream().write(ping);
                                assertThat(client.getInputStream().readNBytes(size)).hasSize(size);
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }, "pinger-" + c);
                    t.start();
                    threads.add(t);
                }
                for (Thread t : threads) {
                    t.join(60_000);
                }
                assertThat(failures).isEmpty();
                long each = (long) pings * size;
                await().atMost(Duration.ofSeconds(10)).until(() -> link.connections().stream()
                        .allMatch(c -> c.bytesToServer() == each && c.bytesToClient() == each));
                // Both engine threads add to the link's totals: not one add may be lost.
                await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().bytesToClient() == connections * each);
                assertThat(link.stats().bytesToServer()).isEqualTo(connections * each);
            } finally {
                for (Socket c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void journalTellsAConnectionsStoryInOrder() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            FaultHandle latency = link.inject(Fault.latency(Duration.ofMillis(1)));
            try (Socket client = connect(link)) {
                client.getOutputStream().write(1);
                assertThat(client.getInputStream().read()).isEqualTo(1);
                client.shutdownOutput();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
            latency.remove();
            link.partition();
            link.heal();
            await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().closed() == 1);
            List<LinkEvent.Type> connection = link.events().stream().filter(e -> e.connection() == 1)
                    .map(LinkEvent::type).distinct().toList();
            assertThat(connection).containsSubsequence(LinkEvent.Type.ACCEPTED, LinkEvent.Type.UPSTREAM_CONNECTED,
                    LinkEvent.Type.FIRST_BYTE, LinkEvent.Type.FIN_SENT, LinkEvent.Type.CLOSED);
            assertThat(connection).contains(LinkEvent.Type.FAULT_FIRED);
            assertThat(link.events().stream().filter(e -> e.connection() == 0).map(LinkEvent::type))
                    .containsSubsequence(LinkEvent.Type.FAULT_INJECTED, LinkEvent.Type.FAULT_REMOVED,
                            LinkEvent.Type.PARTITIONED, LinkEvent.Type.HEALED);
            assertThat(link.stats().injected(FaultKind.LATENCY)).isEqualTo(2);
            assertThat(link.events()).allSatisfy(e -> assertThat(e.at().isNegative()).isFalse());
        }
    }
}
