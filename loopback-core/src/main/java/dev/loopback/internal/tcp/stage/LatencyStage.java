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

    /**
     * The handshake's share: the upstream is dialled once a SYN, its SYN-ACK and the ACK would have
     * crossed the path — two delays towards the server, one towards the client, each the fault's
     * delay without jitter (drawing from the segments' stream would shift their decisions). So the
     * server accepts, and the first bytes the client sent at once reach it, when they would on the
     * real path; the client's own {@code connect()} still completes at once (the link's kernel
     * answered it). Only a latency that acts on every segment from the accept has a share: one with
     * a probability below 1 or a trigger does not delay the dial.
     */
    @Override
    public long dialAt(long acceptedAt) {
        if (!applies || latency.probability() < 1 || scope().afterBytes() != 0 || afterNanos() != 0) {
            return acceptedAt;
        }
        long syn = scope().covers(Direction.TO_SERVER) ? delayNanos : 0;
        long synAck = scope().covers(Direction.TO_CLIENT) ? delayNanos : 0;
        return acceptedAt + 2 * syn + synAck;
    }

    @Override
    public long meanDelay(Direction direction) {
        return applies && scope().covers(direction) ? (long) (delayNanos * latency.probability()) : 0;
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
