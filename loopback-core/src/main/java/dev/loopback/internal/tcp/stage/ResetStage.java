package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.internal.link.ActiveFault;

/**
 * {@link dev.loopback.Reset}: once its triggers have fired — at once on a new connection without
 * one, before the upstream is dialled — aborts the connection with RST to the covered sides. A byte
 * trigger is reached exactly: writes stop at it, then the reset follows.
 */
final class ResetStage extends TriggeredStage {

    ResetStage(ActiveFault fault, StageContext connection) {
        super(fault, connection, fault.fault().afterBytes(), fault.fault().after().toNanos());
    }

    @Override
    void act() {
        connection.actedOnce(this, null, "reset");
        connection.reset(scope().covers(Direction.TO_CLIENT), scope().covers(Direction.TO_SERVER), "reset fault " + fault());
    }
}
