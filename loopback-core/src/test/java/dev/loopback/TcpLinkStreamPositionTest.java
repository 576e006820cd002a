package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.testing.tcp.Payloads;
import dev.loopback.testing.tcp.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-segment decisions are keyed to the position in the stream, not to how the sender's writes or
 * the link's reads split it: with the same seed, a client writing 1 × 1 MiB and one writing
 * 1,024 × 1 KiB meet the same stalls, delays and cuts.
 */
class TcpLinkStreamPositionTest {

    private static final int MIB = 1 << 20;
    private static final long SEED = 20261203L;
    private static final Duration STALL = Duration.ofMillis(300);
    /** A pause the server sees between two reads that only a stall explains (the stall is 300 ms). */
    private static final long PAUSE_NANOS = 200_000_000L;

    @Test
    void theSameSeedStallsTheSameSegmentsWhetherTheClientWritesOnceOrInSmallPieces() throws Exception {
        TcpFault loss = Fault.loss(0.004).stall(STALL).toServer();
        Transfer once = transfer(loss, MIB);
        Transfer pieces = transfer(loss, 1024);
        assertThat(once.stats.stalls()).as("segments stalled").isPositive().isEqualTo(pieces.stats.stalls());
        long firstStall = once.firstPause();
        assertThat(firstStall % TcpLink.SEGMENT_BYTES).as("a stall begins at a segment boundary").isZero();
        assertThat(pieces.firstPause()).as("where the first stall begins").isEqualTo(firstStall);
    }

    @Test
    void theSameSeedDelaysAndCutsTheSameSegmentsWhateverTheWrites() throws Exception {
        TcpFault latency = Fault.latency(Duration.ofMillis(1)).jitter(Duration.ofMillis(1)).probability(0.5).toServer();
        TcpFault slice = Fault.slice(3000, 2000, Duration.ZERO).probability(0.7).toServer();
        Transfer once = transfer(List.of(latency, slice), MIB);
        Transfer pieces = transfer(List.of(latency, slice), 1024);
        long segments = (MIB + TcpLink.SEGMENT_BYTES - 1) / TcpLink.SEGMENT_BYTES;
        assertThat(once.stats.injected(FaultKind.LATENCY)).as("segments delayed").isBetween(1L, segments - 1)
                .isEqualTo(pieces.stats.injected(FaultKind.LATENCY));
        assertThat(once.stats.injected(FaultKind.SLICE)).as("cuts made").isPositive()
                .isEqualTo(pieces.stats.injected(FaultKind.SLICE));
        assertThat(once.received).isEqualTo(MIB);
        assertThat(pieces.received).isEqualTo(MIB);
    }

    /** What the server saw of one transfer: when each read ended, at which stream offset, and the link's stats. */
    private record Transfer(List<long[]> reads, long received, TcpStats stats) {
        /** The stream offset at which the first pause longer than {@link #PAUSE_NANOS} began. */
        long firstPause() {
            for (int i = 1; i < reads.size(); i++) {
                if (reads.get(i)[1] - reads.get(i - 1)[1] > PAUSE_NANOS) {
                    return reads.get(i - 1)[0];
                }
            }
            throw new AssertionError("no pause in " + reads.size() + " reads");
        }
    }

    private static Transfer transfer(TcpFault fault, int writeSize) throws Exception {
        return transfer(List.of(fault), writeSize);
    }

    /** Sends 1 MiB client → server in writes of {@code writeSize} through a link with {@code faults} and seed {@link #SEED}. */
    private static Transfer transfer(List<TcpFault> faults, int writeSize) throws Exception {
        List<long[]> reads = new ArrayList<>();
        try (LoopbackSpace space = LoopbackSpace.builder().seed(SEED).open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[64 * 1024];
                    long total = 0;
                    synchronized (reads) {
                        reads.add(new long[] {0, System.nanoTime()});
                    }
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        total += n;
                        synchronized (reads) {
                            reads.add(new long[] {total, System.nanoTime()});
                        }
                    }
                    s.getOutputStream().write(1);
                })) {
            TcpLink link = space.link("api", server.endpoint());
            faults.forEach(link::inject);
            byte[] payload = Payloads.random(SEED, MIB);
            try (Socket client = connect(link)) {
                OutputStream out = client.getOutputStream();
                for (int offset = 0; offset < payload.length; offset += writeSize) {
                    out.write(payload, offset, writeSize);
                }
                client.shutdownOutput();
                assertThat(client.getInputStream().read()).as("the server read everything").isEqualTo(1);
            }
            synchronized (reads) {
                return new Transfer(List.copyOf(reads), reads.get(reads.size() - 1)[0], link.stats());
            }
        }
    }
}
