package dev.loopback.internal.udp;

import dev.loopback.internal.link.FaultState;

/** The corrupt fault's effect: one random bit of the datagram flipped. */
final class CorruptStage {

    private CorruptStage() {}

    /** Flips one bit drawn from {@code state}'s stream for the datagram's direction; returns false for an empty datagram, left alone. */
    static boolean apply(FaultState state, Datagram datagram) {
        if (datagram.length == 0) {
            return false;
        }
        int bit = state.random(datagram.flow.direction).nextInt(datagram.length * 8);
        datagram.data[bit >>> 3] ^= (byte) (1 << (bit & 7));
        return true;
    }
}
