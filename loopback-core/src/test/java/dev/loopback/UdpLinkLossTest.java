package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.testing.udp.Datagrams;
import dev.loopback.testing.udp.OneWay;
import dev.loopback.testing.udp.UdpPeer;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class UdpLinkLossTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final int BATCH = 2_000;

    @Test
    void bernoulliLossRateIsWithinFourSigmaOfP() {
        int n = 100_000;
        double p = 0.1;
        try (LoopbackSpace space = LoopbackSpace.open(); UdpPeer sink = UdpPeer.bind(space.host("server"))) {
            UdpLink link = space.udpLink(sink.endpoint());
            link.inject(Fault.loss(p).toServer());
            BitSet arrived = sendNumbered(space, link, sink, n, Datagrams::seqOnly);

            double observed = 1 - arrived.cardinality() / (double) n;
            double sigma = Math.sqrt(p * (1 - p) / n);
            assertThat(Math.abs(observed - p)).as("loss %.5f vs %.2f, 4 sigma = %.5f, seed %d", observed, p, 4 * sigma,
                    space.seed()).isLessThanOrEqualTo(4 * sigma);
            UdpStats stats = link.stats();
            assertThat(stats.dropped(UdpStats.DropCause.LOSS)).isEqualTo(n - arrived.cardinality());
            assertThat(stats.droppedTotal()).as("no drop but the fault's").isEqualTo(n - arrived.cardinality());
            assertThat(stats.injected(FaultKind.LOSS)).isEqualTo(n - arrived.cardinality());
        }
    }

    @Test
    void gilbertBurstsLastOneOverRDatagramsOnAverage() {
        int n = 40_000;
        double r = 0.25;
        try (LoopbackSpace space = LoopbackSpace.open(); UdpPeer sink = UdpPeer.bind(space.host("server"))) {
            UdpLink link = space.udpLink(sink.endpoint());
            link.inject(Fault.gilbert(0.05, r).toServer());
            BitSet arrived = sendNumbered(space, link, sink, n, Datagrams::seqOnly);

            int bursts = 0;
            int lost = 0;
            for (int i = 0; i < n; i++) {
                if (!arrived.get(i)) {
                    lost++;
                    if (i == 0 || arrived.get(i - 1)) {
                        bursts++;
                    }
                }
            }
            double meanBurst = lost / (double) bursts;
            assertThat(bursts).isGreaterThan(100);
            assertThat(meanBurst).as("mean burst length, 1/r = %.1f, seed %d", 1 / r, space.seed())
                    .isBetween(0.85 / r, 1.15 / r);
            // Stationary loss of the simple Gilbert model: p / (p + r).
            assertThat(lost / (double) n).isBetween(0.8 * 0.05 / 0.3, 1.2 * 0.05 / 0.3);
        }
    }

    @Test
    void gilbertElliottLosesInBothStatesAtTheirRates() {
        int n = 60_000;
        double p = 0.02;
        double r = 0.2;
        double lossBad = 0.6;
        double lossGood = 0.02;
        try (LoopbackSpace space = LoopbackSpace.open(); UdpPeer sink = UdpPeer.bind(space.host("server"))) {
            UdpLink link = space.udpLink(sink.endpoint());
            link.inject(Fault.gilbertElliott(p, r, lossBad, lossGood).toServer());
            BitSet arrived = sendNumbered(space, link, sink, n, Datagrams::seqOnly);

            double bad = p / (p + r);
            double expected = bad * lossBad + (1 - bad) * lossGood;
            double observed = 1 - arrived.cardinality() / (double) n;
            assertThat(observed).as("stationary loss %.4f, seed %d", expected, space.seed())
                    .isBetween(0.8 * expected, 1.2 * expected);
        }
    }

    /** Sends seq 0..n-1 in settled batches and returns which arrived (each at most once). */
    static BitSet sendNumbered(LoopbackSpace space, UdpLink link, UdpPeer sink, int n, LongFunction<byte[]> datagram) {
        BitSet arrived = new BitSet(n);
        try (OneWay traffic = new OneWay(space.host("client"), link, sink)) {
            for (int seq = 0; seq < n; ) {
                for (int end = Math.min(n, seq + BATCH); seq < end; seq++) {
                    traffic.send(datagram.apply(seq));
                }
                traffic.settle(SETTLE);
            }
            List<byte[]> received = traffic.settle(SETTLE);
            for (byte[] data : received) {
                int seq = (int) Datagrams.seqOf(data);
                assertThat(arrived.get(seq)).as("datagram %d arrived twice", seq).isFalse();
                arrived.set(seq);
            }
        }
        return arrived;
    }
}
