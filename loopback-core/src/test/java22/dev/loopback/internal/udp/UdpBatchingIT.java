package dev.loopback.internal.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loopback.Fault;
import dev.loopback.LoopbackSpace;
import dev.loopback.UdpClient;
import dev.loopback.UdpStats;
import dev.loopback.UdpStats.DropCause;
import dev.loopback.testing.udp.UdpPeer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * UDP links on the FFM fast path ({@code recvmmsg}/{@code sendmmsg}, the JDK 22 {@link SocketBatch}),
 * against the jar (Failsafe). Each burst is sent while the link's engine loop is held, so that it
 * waits in the kernel and the link takes it {@link SocketBatch#SIZE} datagrams per call — the tests
 * check that it did — and then every datagram must arrive once, whole, in order, with its own
 * boundary and the same counts, fault decisions and seeded pattern as one datagram per call gives.
 */
class UdpBatchingIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The largest UDP payload over IPv4. */
    private static final int MAX_DATAGRAM = 65_507;
    private static final int BURST = 300;

    @Test
    void theLinksBatchTheirCallsExactlyWhenNativeAccessIsEnabled() {
        boolean enabled = getClass().getModule().isNativeAccessEnabled();
        assertThat(UdpLinks.io()).isEqualTo(enabled ? "recvmmsg/sendmmsg (FFM), up to 64 datagrams per system call"
                : "DatagramChannel, one datagram per system call");
    }

    @Test
    void burstsToTheServerArriveWholeOnceInOrderAndCounted() throws Exception {
        assumeBatching();
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpPeer server = UdpPeer.bind(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpRelay link = (UdpRelay) space.udpLink(server.endpoint());
            List<byte[]> sent = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(17);
            for (int burst = 0; burst < 10; burst++) {
                List<byte[]> datagrams = datagrams(sent.size(), BURST, random);
                sent.addAll(datagrams);
                whileLoopHeld(link, () -> datagrams.forEach(d -> client.send(d, link.endpoint())));
                assertArrivedInOrder(server.receive(BURST, WAIT), datagrams);
            }

            assertThat(link.largestReceive(null)).as("datagrams per receive on the link's socket").isEqualTo(SocketBatch.SIZE);
            long bytes = sent.stream().mapToLong(d -> d.length).sum();
            UdpStats stats = link.stats();
            assertThat(stats.receivedFromClients()).isEqualTo(sent.size());
            assertThat(stats.datagramsToServer()).isEqualTo(sent.size());
            assertThat(stats.bytesToServer()).isEqualTo(bytes);
            assertThat(stats.droppedTotal()).isZero();
            UdpClient mapping = link.clients().get(0);
            assertThat(mapping.datagramsToServer()).isEqualTo(sent.size());
            assertThat(mapping.bytesToServer()).isEqualTo(bytes);
        }
    }

    @Test
    void burstsFromTheServerReachTheClientWholeOnceInOrderAndCounted() throws Exception {
        assumeBatching();
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpPeer server = UdpPeer.bind(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpRelay link = (UdpRelay) space.udpLink(server.endpoint());
            client.send(new byte[] {42}, link.endpoint());
            InetSocketAddress upstreamSide = server.receive(WAIT).from();
            List<byte[]> replies = datagrams(0, BURST, new SplittableRandom(18));

            whileLoopHeld(link, () -> replies.forEach(d -> server.send(d, upstreamSide)));

            assertArrivedInOrder(client.receive(BURST, WAIT), replies);
            assertThat(link.largestReceive(client.endpoint().socketAddress()))
                    .as("datagrams per receive on the mapping's upstream socket").isEqualTo(SocketBatch.SIZE);
            UdpStats stats = link.stats();
            assertThat(stats.receivedFromServer()).isEqualTo(BURST);
            assertThat(stats.datagramsToClient()).isEqualTo(BURST);
            assertThat(stats.bytesToClient()).isEqualTo(replies.stream().mapToLong(d -> d.length).sum());
            assertThat(stats.droppedTotal()).isZero();
        }
    }

    @Test
    void truncateCutsEachBatchedDatagramOnItsOwn() throws Exception {
        assumeBatching();
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpPeer server = UdpPeer.bind(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpRelay link = (UdpRelay) space.udpLink(server.endpoint());
            link.inject(Fault.truncate(100));
            List<byte[]> datagrams = datagrams(0, BURST, new SplittableRandom(19));

            whileLoopHeld(link, () -> datagrams.forEach(d -> client.send(d, link.endpoint())));

            List<byte[]> expected = datagrams.stream().map(d -> Arrays.copyOf(d, Math.min(d.length, 100))).toList();
            assertArrivedInOrder(server.receive(BURST, WAIT), expected);
            assertThat(link.largestReceive(null)).isEqualTo(SocketBatch.SIZE);
            assertThat(link.stats().truncated()).isEqualTo(datagrams.stream().filter(d -> d.length > 100).count());
        }
    }

    @Test
    void theSameSeedLosesTheSameDatagramsOfABatchedBurst() throws Exception {
        assumeBatching();
        List<Integer> first = survivors(4242);
        List<Integer> second = survivors(4242);

        assertThat(first).hasSizeBetween(BURST / 2, BURST * 9 / 10).isEqualTo(second);
    }

    /** The numbers of the datagrams of one burst that a 30 % loss lets through, in a space of {@code seed}. */
    private static List<Integer> survivors(long seed) throws Exception {
        try (LoopbackSpace space = LoopbackSpace.builder().seed(seed).open();
                UdpPeer server = UdpPeer.bind(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpRelay link = (UdpRelay) space.udpLink("lossy", server.endpoint());
            link.inject(Fault.loss(0.3));
            List<byte[]> datagrams = datagrams(0, BURST, new SplittableRandom(20)).stream().filter(d -> d.length >= 4).toList();

            whileLoopHeld(link, () -> datagrams.forEach(d -> client.send(d, link.endpoint())));

            List<Integer> survivors = new ArrayList<>();
            long lost = 0;
            while (survivors.size() + lost < datagrams.size()) { // every datagram is either sent on or counted as lost
                UdpPeer.Received received = server.receive(Duration.ofMillis(50));
                if (received != null) {
                    survivors.add(numberOf(received.data()));
                }
                lost = link.stats().dropped(DropCause.LOSS);
            }
            assertThat(server.receive(Duration.ofMillis(100))).as("nothing more").isNull();
            assertThat(link.largestReceive(null)).isEqualTo(SocketBatch.SIZE);
            assertThat(survivors).isSorted();
            return survivors;
        }
    }

    private static void assumeBatching() {
        assumeTrue(UdpLinks.io().startsWith("recvmmsg"), "UDP batching needs native access (" + UdpLinks.io() + ")");
    }

    /**
     * {@code count} datagrams numbered from {@code first}: sizes mostly up to 1,500 bytes, every
     * 37th empty, every 50th the largest IPv4 payload; each byte derived from its number and place.
     */
    private static List<byte[]> datagrams(int first, int count, SplittableRandom random) {
        List<byte[]> datagrams = new ArrayList<>(count);
        for (int n = first; n < first + count; n++) {
            int size = n % 50 == 49 ? MAX_DATAGRAM : n % 37 == 36 ? 0 : 4 + random.nextInt(1_500);
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (n * 31 + i * 7);
            }
            if (size >= 4) {
                data[0] = (byte) (n >>> 24);
                data[1] = (byte) (n >>> 16);
                data[2] = (byte) (n >>> 8);
                data[3] = (byte) n;
            }
            datagrams.add(data);
        }
        return datagrams;
    }

    private static int numberOf(byte[] data) {
        return (data[0] & 0xff) << 24 | (data[1] & 0xff) << 16 | (data[2] & 0xff) << 8 | data[3] & 0xff;
    }

    private static void assertArrivedInOrder(List<UdpPeer.Received> received, List<byte[]> expected) {
        assertThat(received).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(received.get(i).data()).as("datagram %d of %d (%d bytes)", i, expected.size(), expected.get(i).length)
                    .isEqualTo(expected.get(i));
        }
    }

    /** Runs {@code send} while the link's engine loop is held, so that what it sends waits in the kernel. */
    private static void whileLoopHeld(UdpRelay link, Runnable send) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        link.execute(() -> {
            held.countDown();
            try {
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the loop is held").isTrue();
        try {
            send.run();
        } finally {
            release.countDown();
        }
    }
}
