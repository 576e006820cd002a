package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopback.testing.udp.Datagrams;
import dev.loopback.testing.udp.OneWay;
import dev.loopback.testing.udp.UdpEchoServer;
import dev.loopback.testing.udp.UdpPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class UdpLinkFaultsTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration REPLY = Duration.ofSeconds(5);
    private static final Duration SILENCE = Duration.ofMillis(300);

    @Test
    void duplicateSendsEachDatagramTwice() {
        try (LoopbackSpace space = LoopbackSpace.open(); UdpPeer sink = UdpPeer.bind(space.host("server"))) {
            UdpLink link = space.udpLink(sink.endpoint());
            link.inject(Fault.duplicate(1).toServer());
            try (OneWay traffic = new OneWay(space.host("client"), link, sink)) {
                for (long seq = 0; seq < 10; seq++) {
                    traffic.send(Datagrams.seqOnly(seq));
                }
                List<Long> seqs = seqs(traffic.settle(SETTLE));
                assertThat(seqs).hasSize(20);
                assertThat(seqs.stream().distinct()).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
                assertThat(seqs).allSatisfy(s -> assertThat(seqs).filteredOn(s::equals).hasSize(2));
            }
            assertThat(link.stats().duplicated()).isEqualTo(10);
            assertThat(link.stats().datagramsToServer()).isEqualTo(20);
        }
    }

    @Test
    void reorderWithLatencySendsEveryGapthDatagramAheadOfTheDelayedOnes() {
        try (LoopbackSpace space = LoopbackSpace.open(); UdpPeer sink = UdpPeer.bind(space.host("server"))) {
            UdpLink link = space.udpLink(sink.endpoint());
            link.inject(Fault.latency(Duration.ofMillis(50)).toServer());
            link.inject(Fault.reorder(1, 5).toServer());
            List<Long> seqs;
            try (OneWay traffic = new OneWay(space.host("client"), link, sink)) {
                seqs = throughGate(link, traffic, 20);
            }
            // netem: datagrams 1-4 of each gap wait for the latency, the 5th is sent at once.
            assertThat(seqs).containsExactly(5L, 10L, 15L, 20L, 1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 11L, 12L, 13L, 14L, 16L,
                    17L, 18L, 19L);
            assertThat(link.stats().reordered()).as("datagrams overtaken").isEqualTo(16);
            assertThat(link.stats().injected(FaultKind.REORDER)).isEqualTo(4);
        }
    }

    @Test
    void reorderWithoutLatencySwapsACandidateWithTheDatagramBeforeIt() {
        try (LoopbackSpace space = LoopbackSpace.open(); UdpPeer sink = UdpPeer.bind(space.host("server"))) {
            UdpLink link = space.udpLink(sink.endpoint());
            link.inject(Fault.reorder(1, 3).toServer());
            List<Long> seqs;
            try (OneWay traffic = new OneWay(space.host("client"), link, sink)) {
                seqs = throughGate(link, traffic, 9);
            }
            assertThat(seqs).containsExactly(1L, 3L, 2L, 4L, 6L, 5L, 7L, 9L, 8L);
            assertThat(link.stats().reordered()).isEqualTo(3);
        }
    }

    @Test
    void jitterReordersUnlessOrderIsPreserved() {
        try (LoopbackSpace space = LoopbackSpace.open(); UdpPeer sink = UdpPeer.bind(space.host("server"))) {
            UdpLink link = space.udpLink(sink.endpoint());
            FaultHandle jitter = link.inject(Fault.latency(Duration.ofMillis(40)).jitter(Duration.ofMillis(30)).toServer());
            OneWay traffic = new OneWay(space.host("client"), link, sink);
            List<Long> seqs = List.copyOf(throughGate(link, traffic, 50));
            assertThat(seqs).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
            assertThat(seqs).as("50 datagrams jittered by +-30 ms at once").isNotEqualTo(sorted(seqs));
            assertThat(link.stats().reordered()).isPositive();

            jitter.remove();
            link.inject(Fault.latency(Duration.ofMillis(40)).jitter(Duration.ofMillis(30)).preserveOrder().toServer());
            long reorderedBefore = link.stats().reordered();
            List<Long> ordered = throughGate(link, traffic, 50);
            traffic.close();
            assertThat(ordered.subList(50, 100)).isSorted();
            assertThat(link.stats().reordered()).isEqualTo(reorderedBefore);
        }
    }

    @Test
    void latencyDelaysEachDirection() {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink(server.endpoint());
            link.inject(Fault.latency(Duration.ofMillis(60)));
            long start = System.nanoTime();
            client.send(Datagrams.seqOnly(1), link.endpoint());
            assertThat(client.receive(REPLY)).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("60 ms each way")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(120));
            assertThat(link.stats().injected(FaultKind.LATENCY)).isEqualTo(2);
        }
    }

    @Test
    void corruptFlipsExactlyOneBit() {
        SplittableRandom random = new SplittableRandom(7);
        try (LoopbackSpace space = LoopbackSpace.open(); UdpPeer sink = UdpPeer.bind(space.host("server"))) {
            UdpLink link = space.udpLink(sink.endpoint());
            link.inject(Fault.corrupt(1).toServer());
            List<byte[]> sent = new ArrayList<>();
            try (OneWay traffic = new OneWay(space.host("client"), link, sink)) {
                for (int i = 0; i < 200; i++) {
                    byte[] datagram = Datagrams.numbered(0, i, 20 + random.nextInt(500), random);
                    sent.add(datagram);
                    traffic.send(datagram);
                }
                List<byte[]> received = traffic.settle(SETTLE);
                assertThat(received).hasSize(200);
                for (int i = 0; i < 200; i++) {
                    byte[] original = sent.get(i);
                    byte[] corrupted = received.get(i);
                    assertThat(corrupted).hasSameSizeAs(original);
                    int differentBits = 0;
                    for (int b = 0; b < original.length; b++) {
                        differentBits += Integer.bitCount((original[b] ^ corrupted[b]) & 0xFF);
                    }
                    assertThat(differentBits).as("bits flipped in datagram %d", i).isEqualTo(1);
                }
            }
            assertThat(link.stats().corrupted()).isEqualTo(200);
        }
    }

    @Test
    void truncateCutsOversizedDatagramsToTheLimit() {
        try (LoopbackSpace space = LoopbackSpace.open(); UdpPeer sink = UdpPeer.bind(space.host("server"))) {
            UdpLink link = space.udpLink(sink.endpoint());
            link.inject(Fault.truncate(100).toServer());
            byte[] big = new byte[1500];
            new SplittableRandom(1).nextBytes(big);
            try (OneWay traffic = new OneWay(space.host("client"), link, sink)) {
                traffic.send(Arrays.copyOf(big, 50));
                traffic.send(Arrays.copyOf(big, 100));
                traffic.send(big);
                List<byte[]> received = traffic.settle(SETTLE);
                assertThat(received).extracting(d -> d.length).containsExactly(50, 100, 100);
                assertThat(received.get(2)).isEqualTo(Arrays.copyOf(big, 100));
            }
            assertThat(link.stats().truncated()).isEqualTo(1);
        }
    }

    @Test
    void rateQueuesUpToItsBoundAndDropsTheTailCounted() {
        try (LoopbackSpace space = LoopbackSpace.open(); UdpPeer sink = UdpPeer.bind(space.host("server"))) {
            UdpLink link = space.udpLink(sink.endpoint());
            // 100 datagrams of 1000 bytes at once into a 10-datagram queue drained at 10 ms a datagram.
            link.inject(Fault.rate(100_000).queue(10_000).toServer());
            try (OneWay traffic = new OneWay(space.host("client"), link, sink)) {
                long start = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    byte[] datagram = new byte[1000];
                    datagram[0] = (byte) i;
                    traffic.send(datagram);
                }
                List<byte[]> received = traffic.settle(SETTLE);
                long elapsed = System.nanoTime() - start;
                UdpStats stats = link.stats();
                assertThat(received.size()).as("the queue's 10 plus those drained while the burst arrived")
                        .isBetween(10, 60);
                assertThat(stats.dropped(UdpStats.DropCause.RATE_QUEUE)).isEqualTo(100 - received.size());
                assertThat(Duration.ofNanos(elapsed)).as("each datagram leaves 10 ms after the one before")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(9L * received.size()));
            }
        }
    }

    @Test
    void oneWayPartitionDropsOnlyTheCutDirection() {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink(server.endpoint());
            link.partition(Partition.hold().only(Direction.TO_CLIENT));
            client.send(Datagrams.seqOnly(1), link.endpoint());
            await().atMost(REPLY).until(server::received, n -> n == 1);
            assertThat(client.receive(SILENCE)).as("the reply is cut: hold drops datagrams too").isNull();
            assertThat(link.stats().dropped(UdpStats.DropCause.PARTITION)).isEqualTo(1);
        }
    }

    @Test
    void partitionDropsDatagramsAndHealLetsThemFlowAgain() {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink(server.endpoint());
            client.send(Datagrams.seqOnly(1), link.endpoint());
            assertThat(client.receive(REPLY)).isNotNull();

            link.partition();
            link.partition();
            assertThat(link.isPartitioned()).isTrue();
            client.send(Datagrams.seqOnly(2), link.endpoint());
            assertThat(client.receive(SILENCE)).as("partitioned: no reply").isNull();
            assertThat(server.received()).isEqualTo(1);
            assertThat(link.stats().dropped(UdpStats.DropCause.PARTITION)).isEqualTo(1);

            link.heal();
            assertThat(link.isPartitioned()).isFalse();
            client.send(Datagrams.seqOnly(3), link.endpoint());
            UdpPeer.Received reply = client.receive(REPLY);
            assertThat(reply).isNotNull();
            assertThat(Datagrams.seqOf(reply.data())).as("the partitioned datagram is gone").isEqualTo(3);
            assertThat(link.events()).extracting(LinkEvent::type)
                    .containsSubsequence(LinkEvent.Type.PARTITIONED, LinkEvent.Type.HEALED)
                    .filteredOn(LinkEvent.Type.PARTITIONED::equals).hasSize(1);
        }
    }

    @Test
    void blackholeDropsAndFreezeHoldsUntilRemoved() {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink(server.endpoint());
            try (FaultHandle blackhole = link.inject(Fault.blackhole().toClient())) {
                client.send(Datagrams.seqOnly(1), link.endpoint());
                assertThat(client.receive(SILENCE)).isNull();
                assertThat(server.received()).as("toClient only: the server got it").isEqualTo(1);
                assertThat(blackhole.isActive()).isTrue();
            }
            assertThat(link.stats().dropped(UdpStats.DropCause.BLACKHOLE)).isEqualTo(1);

            FaultHandle freeze = link.inject(Fault.freeze());
            for (long seq = 2; seq <= 4; seq++) {
                client.send(Datagrams.seqOnly(seq), link.endpoint());
            }
            assertThat(client.receive(SILENCE)).isNull();
            assertThat(server.received()).isEqualTo(1);
            freeze.remove();
            assertThat(client.receive(3, REPLY)).extracting(r -> Datagrams.seqOf(r.data())).containsExactly(2L, 3L, 4L);
            assertThat(freeze.isActive()).isFalse();
        }
    }

    @Test
    void triggersLimitAFaultToTheNthClientAndToBytesAfterAThreshold() {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"));
                UdpPeer first = UdpPeer.bind(space.host("client"));
                UdpPeer second = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink(server.endpoint());
            link.inject(Fault.loss(1).onConnection(2));
            link.inject(Fault.blackhole().toServer().afterBytes(16));
            first.send(Datagrams.seqOnly(1), link.endpoint());
            assertThat(first.receive(REPLY)).as("first client, 0 bytes before").isNotNull();
            second.send(Datagrams.seqOnly(1), link.endpoint());
            assertThat(second.receive(SILENCE)).as("second client: lost").isNull();
            first.send(Datagrams.seqOnly(2), link.endpoint());
            assertThat(first.receive(REPLY)).as("8 bytes before").isNotNull();
            first.send(Datagrams.seqOnly(3), link.endpoint());
            assertThat(first.receive(SILENCE)).as("16 bytes before: blackholed").isNull();
            UdpStats stats = link.stats();
            assertThat(stats.dropped(UdpStats.DropCause.LOSS)).isEqualTo(1);
            assertThat(stats.dropped(UdpStats.DropCause.BLACKHOLE)).isEqualTo(1);
            assertThat(link.clients()).extracting(UdpClient::dropped).containsExactly(1L, 1L);
        }
    }

    @Test
    void ageTriggerActsOnceTheClientMappingIsOldEnough() {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink(server.endpoint());
            // 1 s: the first reply must come back before the trigger even on a loaded CI machine.
            link.inject(Fault.blackhole().toClient().after(Duration.ofSeconds(1)));
            client.send(Datagrams.seqOnly(1), link.endpoint());
            assertThat(client.receive(REPLY)).as("a young mapping").isNotNull();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> link.clients().get(0).age().compareTo(Duration.ofSeconds(1)) >= 0);
            client.send(Datagrams.seqOnly(2), link.endpoint());
            assertThat(client.receive(SILENCE)).as("a mapping 1 s old: replies blackholed").isNull();
            assertThat(server.received()).isEqualTo(2);
            assertThat(link.stats().dropped(UdpStats.DropCause.BLACKHOLE)).isEqualTo(1);
        }
    }

    @Test
    void sameSeedGivesTheSameDropDuplicateAndReorderSequenceAndAnotherSeedDoesNot() {
        List<Long> first = lossyRun(42);
        List<Long> again = lossyRun(42);
        List<Long> other = lossyRun(43);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(first).as("some lost").doesNotContainSequence(LongStream.rangeClosed(1, 600).boxed().toList());
        assertThat(first.size()).as("lost and duplicated").isNotEqualTo(600);
        assertThat(first).as("some reordered").isNotEqualTo(sorted(first));
        assertThat(first.stream().distinct().count()).as("some duplicated").isLessThan(first.size());
    }

    private static List<Long> lossyRun(long seed) {
        try (LoopbackSpace space = LoopbackSpace.builder().seed(seed).open();
                UdpPeer sink = UdpPeer.bind(space.host("server"))) {
            UdpLink link = space.udpLink("lossy", sink.endpoint());
            link.inject(Fault.loss(0.2).toServer());
            link.inject(Fault.duplicate(0.2).toServer());
            link.inject(Fault.reorder(0.5, 3).toServer());
            try (OneWay traffic = new OneWay(space.host("client"), link, sink)) {
                for (int batch = 0; batch < 5; batch++) {
                    throughGate(link, traffic, 100);
                }
                return List.copyOf(throughGate(link, traffic, 100));
            }
        }
    }

    /**
     * Sends {@code n} numbered datagrams while a freeze holds them, then removes the freeze so that
     * they meet the timing faults at one instant, whatever the sender's timing; returns all arrivals
     * on the sink so far, numbered from 1.
     */
    private static List<Long> throughGate(UdpLink link, OneWay traffic, int n) {
        FaultHandle gate = link.inject(Fault.freeze().toServer());
        long base = traffic.sent();
        for (long seq = 1; seq <= n; seq++) {
            traffic.send(Datagrams.seqOnly(base + seq));
        }
        traffic.awaitReceivedByLink(SETTLE);
        gate.remove();
        return seqs(traffic.settle(SETTLE));
    }

    private static List<Long> seqs(List<byte[]> datagrams) {
        return datagrams.stream().map(Datagrams::seqOf).toList();
    }

    private static List<Long> sorted(List<Long> values) {
        return values.stream().sorted().toList();
    }
}
