package dev.loopback.internal.udp;

import dev.loopback.Truncate;
import dev.loopback.internal.link.FaultState;

/** The truncate fault's effect: the datagram cut to the fault's byte count. */
final class TruncateStage {

    private TruncateStage() {}

    /** Cuts the datagram; returns false if it is not longer than the limit, left alone. */
    static boolean apply(FaultState state, Datagram datagram) {
        int max = ((Truncate) state.fault()).maxBytes();
        if (datagram.length <= max) {
            return false;
        }
        datagram.length = max;
        return true;
    }
}
