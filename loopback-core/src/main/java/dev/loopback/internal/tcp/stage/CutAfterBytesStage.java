package dev.loopback.internal.tcp.stage;

import dev.loopback.CutAfterBytes;
import dev.loopback.internal.link.ActiveFault;

/**
 * {@link CutAfterBytes}: writes in the covered direction stop exactly at the cut (or the byte
 * trigger, if later); once a covered direction has forwarded that many bytes, the connection is cut
 * with FIN both ways.
 */
final class CutAfterBytesStage extends TriggeredStage {

    CutAfterBytesStage(ActiveFault fault, StageContext connection, CutAfterBytes cut) {
        super(fault, connection, Math.max(cut.bytes(), cut.afterBytes()), cut.after().toNanos());
    }

    @Override
    void act() {
        connection.actedOnce(this, null, "cut");
        connection.cut("cut fault " + fault());
    }
}
