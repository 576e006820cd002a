package dev.loopback.internal.tcp;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Direction;
import dev.loopback.Fault;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.tcp.stage.Allowance;
import dev.loopback.internal.tcp.stage.FaultStage;
import dev.loopback.internal.tcp.stage.StageContext;
import dev.loopback.internal.tcp.stage.Stages;
import dev.loopback.testing.tcp.Payloads;
import dev.loopback.testing.tcp.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Every per-segment decision, recorded: with the same seed, the delay each segment of the stream
 * gets from a jittered latency and a loss is the same whether the client writes 1 × 1 MiB or
 * 1,024 × 1 KiB, segment by segment.
 */
class StreamPositionDecisionsTest {

    private static final int MIB = 1 << 20;

    @Test
    void everySegmentGetsTheSameDelayWhateverTheWrites() throws Exception {
        Map<Long, Map<Long, Long>> once = decisions(MIB);
        Map<Long, Map<Long, Long>> pieces = decisions(1024);
        long segments = (MIB + TcpLink.SEGMENT_BYTES - 1) / TcpLink.SEGMENT_BYTES;
        assertThat(once).containsOnlyKeys(1L, 2L);
        assertThat(once.get(1L)).as("latency, per segment start").hasSize((int) segments);
        assertThat(once.get(2L)).as("loss, per segment start").hasSize((int) segments);
        assertThat(once.get(1L)).as("some segments not delayed").containsValue(0L);
        assertThat(once.get(1L).values().stream().distinct().count()).as("distinct jittered delays").isGreaterThan(100);
        assertThat(once.get(2L)).as("some segments stalled, some not").containsValue(0L).containsValue(1_000_000L);
        assertThat(pieces).isEqualTo(once);
    }

    /** Runs one transfer with a recording stage around each fault; returns, per fault index, segment start → delay. */
    private static Map<Long, Map<Long, Long>> decisions(int writeSize) throws Exception {
        Map<Long, Map<Long, Long>> recorded = new ConcurrentHashMap<>();
        try (LoopbackSpace space = LoopbackSpace.builder().seed(99).open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    s.getInputStream().readAllBytes();
                    s.getOutputStream().write(1);
                })) {
            TcpLink link = space.link("api", server.endpoint());
            ((TcpRelay) link).stageFactory((fault, connection) -> new Recording(fault, connection,
                    recorded.computeIfAbsent(fault.index(), i -> new TreeMap<>())));
            link.inject(Fault.latency(Duration.ofMillis(1)).jitter(Duration.ofMillis(1)).probability(0.5).toServer());
            link.inject(Fault.loss(0.2).stall(Duration.ofMillis(1)).toServer());
            byte[] payload = Payloads.random(7, MIB);
            try (Socket client = connect(link)) {
                OutputStream out = client.getOutputStream();
                for (int offset = 0; offset < payload.length; offset += writeSize) {
                    out.write(payload, offset, writeSize);
                }
                client.shutdownOutput();
                assertThat(client.getInputStream().read()).isEqualTo(1);
            }
        }
        return recorded;
    }

    /** The real stage of a fault, recording the delay it gives each segment's first byte. */
    private static final class Recording extends FaultStage {
        private final FaultStage real;
        private final Map<Long, Long> delays;

        Recording(ActiveFault fault, StageContext connection, Map<Long, Long> delays) {
            super(fault, connection, false);
            this.real = Stages.create(fault, connection);
            this.delays = delays;
        }

        @Override
        public long segmentEnd(Direction direction, long position) {
            return real.segmentEnd(direction, position);
        }

        @Override
        public long delayAt(Direction direction, long position, long now) {
            long delay = real.delayAt(direction, position, now);
            if (direction == Direction.TO_SERVER) {
                synchronized (delays) {
                    delays.putIfAbsent(position - position % TcpLink.SEGMENT_BYTES, delay);
                }
            }
            return delay;
        }

        @Override
        public void allow(Direction direction, Allowance allowance, long now) {
            real.allow(direction, allowance, now);
        }

        @Override
        public void wrote(Direction direction, long bytes, long now) {
            real.wrote(direction, bytes, now);
        }
    }
}
