package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.Latency;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.random.Delays;

/**
 * {@link Latency}: each segment gets the fault's delay — with jitter, one sampled per segment from
 * the fault's stream — or, with a probability below 1, none if its draw says so. The pump releases
 * each byte at its read time plus its segment's delay, never before a byte read before it.
 */
final class LatencyStage extends SegmentStage {

    private final Latency latency;
    private final long delayNanos;
    private final long jitterNanos;

    LatencyStage(ActiveFault fault, StageContext connection, Latency latency) {
        super(fault, connection);
        this.latency = latency;
        this.delayNanos = latency.delay().toNanos();
        this.jitterNanos = latency.jitter().toNanos();
    }

    @Override
    long decide(Direction direction) {
        if (!draw(direction, latency.probability())) {
            return 0;
        }
        connection.acted(this, direction, "delayed");
        return Delays.sample(latency.distribution(), delayNanos, jitterNanos, random(direction));
    }
}
