package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.TcpLink;
import dev.loopback.internal.link.ActiveFault;

/**
 * A fault that decides per segment of the stream: the stream of each direction is cut by position
 * into segments of {@link TcpLink#SEGMENT_BYTES}, counted from the fault's byte trigger, and the
 * fault decides each segment once, when its first byte is read, in stream order from its random
 * stream for that direction. So the same seed and the same bytes give every segment the same
 * decision however the reads split the stream.
 */
abstract class SegmentStage extends FaultStage {

    private long decidedToServer = -1;
    private long decidedToClient = -1;
    private long delayToServer;
    private long delayToClient;

    SegmentStage(ActiveFault fault, StageContext connection) {
        super(fault, connection, false);
    }

    /** Decides the next segment of {@code direction}: the delay its bytes get (0 for none). */
    abstract long decide(Direction direction);

    @Override
    public final long segmentEnd(Direction direction, long position) {
        if (!applies || !scope().covers(direction)) {
            return NEVER;
        }
        long start = scope().afterBytes();
        if (position < start) {
            return start;
        }
        return start + ((position - start) / TcpLink.SEGMENT_BYTES + 1) * TcpLink.SEGMENT_BYTES;
    }

    @Override
    public final long delayAt(Direction direction, long position, long now) {
        long start = scope().afterBytes();
        if (!applies || !scope().covers(direction) || position < start || age(now) < afterNanos()) {
            return 0;
        }
        long segment = (position - start) / TcpLink.SEGMENT_BYTES;
        if (direction == Direction.TO_SERVER) {
            if (segment != decidedToServer) {
                decidedToServer = segment;
                delayToServer = decide(direction);
            }
            return delayToServer;
        }
        if (segment != decidedToClient) {
            decidedToClient = segment;
            delayToClient = decide(direction);
        }
        return delayToClient;
    }
}
