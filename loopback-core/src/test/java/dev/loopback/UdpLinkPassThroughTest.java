package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.testing.udp.Datagrams;
import dev.loopback.testing.udp.UdpEchoServer;
import dev.loopback.testing.udp.UdpPeer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class UdpLinkPassThroughTest {

    private static final int CLIENTS = 8;
    private static final int PER_CLIENT = 12_500;
    /** Datagrams each client keeps in flight: enough to pipeline, few enough that no socket buffer overflows. */
    private static final int WINDOW = 16;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void everyDatagramArrivesOnceIntactAndEachReplyReachesItsClient() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"))) {
            UdpLink link = space.udpLink(server.endpoint());
            InetAddress clientHost = space.host("clients");
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<Long>> results = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int stream = c;
                    results.add(pool.submit(() -> talk(stream, clientHost, link)));
                }
                long bytes = 0;
                for (Future<Long> result : results) {
                    bytes += result.get(80, TimeUnit.SECONDS);
                }

                UdpStats stats = link.stats();
                assertThat(stats.datagramsToServer()).isEqualTo(CLIENTS * PER_CLIENT);
                assertThat(stats.datagramsToClient()).isEqualTo(CLIENTS * PER_CLIENT);
                assertThat(stats.bytesToServer()).isEqualTo(bytes);
                assertThat(stats.bytesToClient()).isEqualTo(bytes);
                assertThat(stats.droppedTotal()).isZero();
                assertThat(stats.clients()).isEqualTo(CLIENTS);

                List<UdpClient> clients = link.clients();
                assertThat(clients).extracting(UdpClient::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
                assertThat(clients).allSatisfy(client -> {
                    assertThat(client.datagramsToServer()).isEqualTo(PER_CLIENT);
                    assertThat(client.datagramsToClient()).isEqualTo(PER_CLIENT);
                    assertThat(client.dropped()).isZero();
                });
                Set<InetSocketAddress> upstreamSides = clients.stream()
                        .map(client -> client.upstreamSide().socketAddress())
                        .collect(Collectors.toSet());
                assertThat(server.peers()).as("the server sees one distinct peer per client, the link's sockets")
                        .hasSize(CLIENTS)
                        .isEqualTo(upstreamSides);
                assertThat(link.events()).filteredOn(e -> e.type() == LinkEvent.Type.ACCEPTED).hasSize(CLIENTS);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** One client: windowed request-response, checking each reply is its own, intact, and new. Returns bytes sent. */
    private static long talk(int stream, InetAddress host, UdpLink link) {
        SplittableRandom random = new SplittableRandom(stream);
        BitSet replied = new BitSet(PER_CLIENT);
        long bytes = 0;
        try (UdpPeer client = UdpPeer.bind(host)) {
            int sent = 0;
            int received = 0;
            while (received < PER_CLIENT) {
                while (sent < PER_CLIENT && sent - received < WINDOW) {
                    byte[] datagram = Datagrams.numbered(stream, sent, size(sent, random), random);
                    client.send(datagram, link.endpoint());
                    bytes += datagram.length;
                    sent++;
                }
                UdpPeer.Received reply = client.receive(REPLY_TIMEOUT);
                assertThat(reply).as("client %d: reply %d of %d", stream, received, PER_CLIENT).isNotNull();
                assertThat(reply.from()).isEqualTo(link.endpoint().socketAddress());
                assertThat(Datagrams.intact(reply.data())).as("checksum").isTrue();
                assertThat(Datagrams.stream(reply.data())).as("reply reached its own client").isEqualTo(stream);
                int seq = (int) Datagrams.seq(reply.data());
                assertThat(replied.get(seq)).as("datagram %d replied twice", seq).isFalse();
                replied.set(seq);
                received++;
            }
        }
        return bytes;
    }

    /** Mixed sizes: mostly 20..1400 bytes, every 50th 8 KiB, every 1000th the 20-byte minimum. */
    private static int size(int seq, SplittableRandom random) {
        if (seq % 1000 == 999) {
            return Datagrams.MIN_SIZE;
        }
        return seq % 50 == 49 ? 8192 : Datagrams.MIN_SIZE + random.nextInt(1381);
    }

    @Test
    void aBurstSentBackToBackArrivesWholeInOrderAndIntact() throws Exception {
        int burst = 1500; // about 1.5 MiB: within the kernel's buffers even if the engine is slow to wake
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpPeer server = UdpPeer.bind(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink(server.endpoint());
            SplittableRandom random = new SplittableRandom(11);
            for (int seq = 0; seq < burst; seq++) {
                client.send(Datagrams.numbered(0, seq, Datagrams.MIN_SIZE + random.nextInt(2000), random), link.endpoint());
            }

            List<UdpPeer.Received> received = server.receive(burst, Duration.ofSeconds(20));
            assertThat(received).hasSize(burst);
            assertThat(received).extracting(r -> Datagrams.seq(r.data()))
                    .as("in the order sent")
                    .containsExactlyElementsOf(LongStream.range(0, burst).boxed().toList());
            assertThat(received).allSatisfy(r -> assertThat(Datagrams.intact(r.data())).isTrue());
            assertThat(link.stats().droppedTotal()).isZero();
            assertThat(link.stats().reordered()).isZero();
        }
    }

    @Test
    void emptyDatagramPassesThroughBothWays() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink(server.endpoint());
            client.send(new byte[0], link.endpoint());
            UdpPeer.Received reply = client.receive(REPLY_TIMEOUT);
            assertThat(reply).isNotNull();
            assertThat(reply.data()).isEmpty();
            assertThat(link.stats().datagramsToClient()).isEqualTo(1);
        }
    }
}
