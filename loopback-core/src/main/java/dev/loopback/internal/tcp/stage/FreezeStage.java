package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.internal.link.ActiveFault;

/**
 * {@link dev.loopback.Freeze}: holds the covered direction's data while the fault is active; the
 * pump keeps reading until the link's bound is full, so the sender then blocks. Removing the fault
 * lets the pump write everything held, in order. A connection accepted while it acts is not dialled
 * until then.
 */
final class FreezeStage extends FaultStage {

    FreezeStage(ActiveFault fault, StageContext connection) {
        super(fault, connection, true);
    }

    /** A freeze that acts from the accept holds the handshake too: the upstream is dialled when it is removed. */
    @Override
    public long dialAt(long acceptedAt) {
        return applies && scope().afterBytes() == 0 && afterNanos() == 0 ? NEVER : acceptedAt;
    }

    @Override
    public void allow(Direction direction, Allowance allowance, long now) {
        if (acting(direction, allowance, now)) {
            allowance.hold();
            connection.actedOnce(this, direction, "held");
        }
    }
}
