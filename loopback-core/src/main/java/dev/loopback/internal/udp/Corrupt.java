package dev.loopback.internal.udp;

/** The corrupt fault's effect: one random bit of the datagram flipped. */
final class Corrupt {

    private Corrupt() {}

    /** Flips one bit drawn from {@code state}'s stream; returns false for an empty datagram, left alone. */
    static boolean apply(FaultState state, Datagram datagram) {
        if (datagram.length == 0) {
            return false;
        }
        int bit = state.random().nextInt(datagram.length * 8);
        datagram.data[bit >>> 3] ^= (byte) (1 << (bit & 7));
        return true;
    }
}
