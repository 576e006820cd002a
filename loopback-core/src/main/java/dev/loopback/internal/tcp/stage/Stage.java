package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;

/**
 * One fault's behaviour on one TCP connection: the contract every TCP fault implements, one class
 * per fault. The connection's lifecycle and its two pumps (one per direction) ask; a stage answers,
 * and acts only through the {@link StageContext} it was made with and the {@link Allowance} it is
 * handed — it never touches sockets or another object's state. Every hook has a neutral default,
 * so a stage implements only the moments it cares about:
 *
 * <ul>
 *   <li><b>dial</b> — {@link #dialAt}: when the upstream may be dialled (slow open, latency's handshake, freeze, partition);
 *   <li><b>connection triggers</b> — {@link #check}: reset or cut once a trigger fired;
 *   <li><b>data read</b> — {@link #segmentEnd} and {@link #delayAt}: the delay of each range of the
 *       stream by position (latency, loss stall), decided once per segment in stream order;
 *   <li><b>data written</b> — {@link #allow} and {@link #wrote}: how much may be written now, when
 *       to try again, hold or discard (bandwidth, slice, freeze, blackhole, byte triggers);
 *   <li><b>end of stream</b> — {@link #finAt}: when a FIN may be forwarded (slow close).
 * </ul>
 *
 * A stage that throws resets its connection (the engine's error policy); it never breaks another
 * connection. Loop thread only.
 */
public interface Stage {

    /** "Not at any known time": no deadline from {@link #check}, or hold until reconsidered from {@link #dialAt}. */
    long NEVER = Long.MAX_VALUE;

    /**
     * Returns the earliest time the upstream of a connection accepted at {@code acceptedAt} may be
     * dialled, or {@link #NEVER} to hold it; the delays of several stages add up (a slow open and
     * a latency's handshake are both in the way).
     */
    default long dialAt(long acceptedAt) {
        return acceptedAt;
    }

    /** Acts on the connection (reset, cut) if a trigger has fired by {@code now}; returns when to check again, or {@link #NEVER}. */
    default long check(long now) {
        return NEVER;
    }

    /**
     * Returns the end (exclusive) of the range of {@code direction}'s stream that starts at
     * {@code position} and that this stage treats alike — its segment's end — or {@link #NEVER} if
     * it does not split the stream.
     */
    default long segmentEnd(Direction direction, long position) {
        return NEVER;
    }

    /**
     * Returns the delay in nanoseconds this stage adds to the bytes of {@code direction} at
     * {@code position}, read at {@code now}. Called in stream order; a stage decides once per
     * segment and answers the same for every later byte of it.
     */
    default long delayAt(Direction direction, long position, long now) {
        return 0;
    }

    /**
     * Returns the delay in nanoseconds this stage adds on average to a byte of {@code direction}
     * once it acts — what a real path's round trip is made of — or 0. The link splits its window
     * between the two directions by these delays.
     */
    default long meanDelay(Direction direction) {
        return 0;
    }

    /** Narrows what the pump of {@code direction} may write at {@code now}. */
    default void allow(Direction direction, Allowance allowance, long now) {}

    /** The pump of {@code direction} wrote {@code bytes} at {@code now}; {@link StageContext#forwarded} already counts them. */
    default void wrote(Direction direction, long bytes, long now) {}

    /** Returns when a FIN of {@code direction} the link read at {@code eofAt} may be forwarded. */
    default long finAt(Direction direction, long eofAt) {
        return eofAt;
    }
}
