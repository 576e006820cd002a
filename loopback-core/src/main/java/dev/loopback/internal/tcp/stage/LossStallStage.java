package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.internal.link.ActiveFault;

/**
 * {@link dev.loopback.Loss} and {@link dev.loopback.LossStall} on TCP: a segment "lost" by its draw
 * stalls for the stall, as a retransmission timeout would, and then arrives intact; the bytes
 * after it wait behind it, as they do behind a retransmission.
 */
final class LossStallStage extends SegmentStage {

    private final long stallNanos;

    LossStallStage(ActiveFault fault, StageContext connection, long stallNanos) {
        super(fault, connection);
        this.stallNanos = stallNanos;
    }

    @Override
    long decide(Direction direction) {
        if (!draw(direction, fault().probability())) {
            return 0;
        }
        connection.stalled();
        connection.acted(this, direction, "stalled");
        return stallNanos;
    }
}
