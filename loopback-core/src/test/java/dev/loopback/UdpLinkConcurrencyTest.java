package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.testing.udp.Datagrams;
import dev.loopback.testing.udp.UdpEchoServer;
import dev.loopback.testing.udp.UdpPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class UdpLinkConcurrencyTest {

    private static final Duration REPLY = Duration.ofSeconds(5);

    @Test
    void faultsChangeFromAnotherThreadWhileDatagramsFlowWithoutCorruptingAny() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"))) {
            UdpLink link = space.udpLink(server.endpoint());
            ExecutorService pool = Executors.newFixedThreadPool(5);
            AtomicBoolean done = new AtomicBoolean();
            try {
                List<Future<Integer>> clients = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    int stream = c;
                    clients.add(pool.submit(() -> echoUntil(done, stream, space, link)));
                }
                Future<Integer> churn = pool.submit(() -> {
                    int changes = 0;
                    for (; changes < 300; changes++) {
                        FaultHandle delay = link.inject(Fault.latency(Duration.ofMillis(1)).jitter(Duration.ofMillis(1)));
                        FaultHandle dup = link.inject(Fault.duplicate(0.5));
                        FaultHandle freeze = link.inject(Fault.freeze().toClient());
                        link.inject(Fault.reorder(0.5, 2).toServer());
                        freeze.remove();
                        dup.remove();
                        delay.remove();
                        link.clear();
                    }
                    return changes;
                });
                assertThat(churn.get(60, TimeUnit.SECONDS)).isEqualTo(300);
                done.set(true);
                for (Future<Integer> client : clients) {
                    assertThat(client.get(60, TimeUnit.SECONDS)).as("round trips").isPositive();
                }
            } finally {
                done.set(true);
                pool.shutdownNow();
            }
            assertThat(link.faults()).isEmpty();
            try (UdpPeer client = UdpPeer.bind(space.host("client"))) {
                client.send(Datagrams.seqOnly(7), link.endpoint());
                UdpPeer.Received reply = client.receive(REPLY);
                assertThat(reply).as("the link still forwards after the churn").isNotNull();
                assertThat(Datagrams.seqOf(reply.data())).isEqualTo(7);
            }
        }
    }

    /** Sends checksummed datagrams one at a time until {@code done}; every reply must be intact and its own. */
    private static int echoUntil(AtomicBoolean done, int stream, LoopbackSpace space, UdpLink link) {
        SplittableRandom random = new SplittableRandom(stream);
        int roundTrips = 0;
        try (UdpPeer client = UdpPeer.bind(space.host("client"))) {
            for (long seq = 0; !done.get() || roundTrips == 0; seq++) {
                client.send(Datagrams.numbered(stream, seq, 20 + random.nextInt(200), random), link.endpoint());
                UdpPeer.Received reply;
                // Duplicates of earlier datagrams may arrive first; read until this one's reply.
                do {
                    reply = client.receive(REPLY);
                    assertThat(reply).as("client %d, datagram %d", stream, seq).isNotNull();
                    assertThat(Datagrams.intact(reply.data())).isTrue();
                    assertThat(Datagrams.stream(reply.data())).isEqualTo(stream);
                } while (Datagrams.seq(reply.data()) != seq);
                roundTrips++;
            }
        }
        return roundTrips;
    }

    @Test
    void twentyLinksShareTheEngineThreadsWhateverTheirNumberOfClients() {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"))) {
            List<UdpPeer> clients = new ArrayList<>();
            try {
                for (int l = 0; l < 20; l++) {
                    UdpLink link = space.udpLink("threads-" + l, server.endpoint());
                    for (int c = 0; c < 3; c++) {
                        UdpPeer client = UdpPeer.bind(space.host("client"));
                        clients.add(client);
                        client.send(Datagrams.seqOnly(c), link.endpoint());
                        assertThat(client.receive(REPLY)).isNotNull();
                    }
                    assertThat(link.clients()).hasSize(3);
                }
                // Counts every Loopback thread of the JVM, whichever test opened its links: the
                // engine's few threads are all there is, however many links are open.
                long loopbackThreads = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("loopback-"))
                        .count();
                assertThat(loopbackThreads).isBetween(1L, 4L);
            } finally {
                clients.forEach(UdpPeer::close);
            }
        }
    }
}
