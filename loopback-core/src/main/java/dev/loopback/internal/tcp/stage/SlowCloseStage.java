package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.SlowClose;
import dev.loopback.internal.link.ActiveFault;

/** {@link SlowClose}: a FIN in the covered direction is forwarded the delay after the link read it; data before it is not delayed. */
final class SlowCloseStage extends FaultStage {

    private final long delayNanos;

    SlowCloseStage(ActiveFault fault, StageContext connection, SlowClose slowClose) {
        super(fault, connection, true);
        this.delayNanos = slowClose.delay().toNanos();
    }

    @Override
    public long finAt(Direction direction, long eofAt) {
        if (!triggered(direction, connection.forwarded(direction), age(eofAt)) || !applies) {
            return eofAt;
        }
        connection.actedOnce(this, direction, "FIN delayed");
        return eofAt + delayNanos;
    }
}
