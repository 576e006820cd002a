package dev.loopback.internal.udp;

/** The truncate fault's effect: the datagram cut to the fault's byte count. */
final class Truncate {

    private Truncate() {}

    /** Cuts the datagram; returns false if it is not longer than the limit, left alone. */
    static boolean apply(FaultState state, Datagram datagram) {
        if (datagram.length <= state.fault.bytes()) {
            return false;
        }
        datagram.length = (int) state.fault.bytes();
        return true;
    }
}
