package dev.loopback.internal.link;

import dev.loopback.Direction;
import dev.loopback.Fault;
import dev.loopback.FaultScope;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * What one injected fault keeps on one TCP connection or UDP client mapping — the base of every
 * TCP stage and UDP fault state: its random stream per direction (derived from the fault's seed,
 * the connection number and the direction, so its decisions depend only on that connection's
 * traffic in that direction), the one Bernoulli {@link #draw}, a draw made once per direction and
 * remembered ({@link #once}), its triggers, and which of its first actions were journalled.
 * Used by the engine thread of its connection or mapping only.
 */
public class FaultState {

    private final ActiveFault active;
    private final long connection;
    private final long afterNanos;
    private SplittableRandom toServer;
    private SplittableRandom toClient;
    private byte onceToServer = -1;
    private byte onceToClient = -1;
    private byte journalled;

    public FaultState(ActiveFault active, long connection) {
        this.active = active;
        this.connection = connection;
        this.afterNanos = active.fault().after().toNanos(); // at most Fault.MAX_DURATION
    }

    /** True with probability {@code p}; for 0 and 1 no randomness is consumed. */
    public static boolean draw(RandomGenerator random, double p) {
        if (p >= 1) {
            return true;
        }
        return p > 0 && random.nextDouble() < p;
    }

    public final ActiveFault active() {
        return active;
    }

    public final Fault fault() {
        return active.fault();
    }

    public final FaultScope scope() {
        return active.fault().scope();
    }

    /** The connection or client mapping number, from 1. */
    public final long connection() {
        return connection;
    }

    /** The random stream of this fault, connection and {@code direction} ({@code TO_SERVER} or {@code TO_CLIENT}). */
    public final SplittableRandom random(Direction direction) {
        if (direction == Direction.TO_SERVER) {
            if (toServer == null) {
                toServer = active.stream(connection, direction);
            }
            return toServer;
        }
        if (toClient == null) {
            toClient = active.stream(connection, direction);
        }
        return toClient;
    }

    /** A draw of probability {@code p} from {@code direction}'s stream. */
    public final boolean draw(Direction direction, double p) {
        return draw(random(direction), p);
    }

    /** The fault's probability drawn once for {@code direction} on this connection, then remembered. */
    public final boolean once(Direction direction) {
        if (direction == Direction.TO_SERVER) {
            if (onceToServer < 0) {
                onceToServer = (byte) (draw(direction, fault().probability()) ? 1 : 0);
            }
            return onceToServer == 1;
        }
        if (onceToClient < 0) {
            onceToClient = (byte) (draw(direction, fault().probability()) ? 1 : 0);
        }
        return onceToClient == 1;
    }

    /**
     * Whether the fault's direction and its byte and age triggers select traffic flowing
     * {@code direction} once {@code bytes} have passed that way on a connection {@code ageNanos} old.
     */
    public final boolean triggered(Direction direction, long bytes, long ageNanos) {
        FaultScope scope = scope();
        return scope.covers(direction) && bytes >= scope.afterBytes() && ageNanos >= afterNanos;
    }

    /** The age trigger in nanoseconds. */
    public final long afterNanos() {
        return afterNanos;
    }

    /**
     * Returns the journal text of this fault's first action on its connection in {@code direction}
     * (null: on the connection as a whole) if it was not journalled yet, else null. The direction
     * is named only for a fault on both directions, whose own text does not name one.
     */
    public final String firstAction(String verb, Direction direction) {
        int bit = direction == null ? 1 : direction == Direction.TO_SERVER ? 2 : 4;
        if ((journalled & bit) != 0) {
            return null;
        }
        journalled |= (byte) bit;
        String text = fault() + ": " + verb;
        if (direction != null && fault().direction() == Direction.BOTH) {
            text += direction == Direction.TO_SERVER ? " toward the server" : " toward the client";
        }
        return text;
    }
}
