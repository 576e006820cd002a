package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.internal.link.ActiveFault;

/**
 * {@link dev.loopback.Blackhole}: discards the covered direction's data while the fault is active;
 * the connection stays open and the sender is never blocked.
 */
final class BlackholeStage extends FaultStage {

    BlackholeStage(ActiveFault fault, StageContext connection) {
        super(fault, connection, true);
    }

    @Override
    public void allow(Direction direction, Allowance allowance, long now) {
        if (acting(direction, allowance, now)) {
            allowance.discard();
            connection.actedOnce(this, direction, "discarding");
        }
    }
}
