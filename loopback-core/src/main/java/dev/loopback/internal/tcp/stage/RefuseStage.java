package dev.loopback.internal.tcp.stage;

import dev.loopback.FaultKind;
import dev.loopback.internal.link.ActiveFault;

/**
 * {@link dev.loopback.Refuse}: acts on the link, not on connections — while a refuse fault of
 * probability 1 is active the link holds its port with a bound socket that does not listen, so the
 * kernel refuses new clients; live connections are untouched, so the stage itself does nothing.
 */
public final class RefuseStage extends FaultStage {

    RefuseStage(ActiveFault fault, StageContext connection) {
        super(fault, connection, true);
    }

    /** Returns true if {@code faults} (a registry snapshot) make the link refuse new connections. */
    public static boolean refuses(ActiveFault[] faults) {
        for (ActiveFault af : faults) {
            if (af.fault().kind() == FaultKind.REFUSE && af.fault().probability() == 1) {
                return true;
            }
        }
        return false;
    }
}
