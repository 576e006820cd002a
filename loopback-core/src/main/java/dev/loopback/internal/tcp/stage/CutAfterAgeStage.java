package dev.loopback.internal.tcp.stage;

import dev.loopback.CutAfterAge;
import dev.loopback.internal.link.ActiveFault;

/** {@link CutAfterAge}: once the connection is old enough (and its byte trigger reached), cuts it with FIN both ways. */
final class CutAfterAgeStage extends TriggeredStage {

    CutAfterAgeStage(ActiveFault fault, StageContext connection, CutAfterAge cut) {
        super(fault, connection, cut.afterBytes(), Math.max(cut.age().toNanos(), cut.after().toNanos()));
    }

    @Override
    void act() {
        connection.actedOnce(this, null, "cut");
        connection.cut("cut fault " + fault());
    }
}
