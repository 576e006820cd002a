package dev.loopback;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and when a fault acts: the part of every {@link Fault} that is not its kind's own options.
 * Faults refine it through {@link ScopedFault}; a scope on its own is rarely needed.
 *
 * @param direction the direction the fault acts in; {@link Direction#BOTH} for both, each on its own
 * @param probability the chance, in {@code [0, 1]}, that the fault acts on a connection, segment,
 *     cut or datagram (see {@link ScopedFault#probability(double)}); 0 means no effect at all
 * @param afterBytes the fault acts only once this many bytes have passed in its direction (either
 *     direction for {@code BOTH}); 0 = at once
 * @param after the fault acts only once the connection (or UDP client mapping) is this old; zero =
 *     at once; at most {@link Fault#MAX_DURATION}
 * @param onConnection the fault acts only on the n-th connection (or UDP client mapping) the link
 *     accepts after the injection, from 1; 0 = on every one
 */
public record FaultScope(Direction direction, double probability, long afterBytes, Duration after, int onConnection) {

    /** Both directions, probability 1, no trigger. */
    public static final FaultScope DEFAULT = new FaultScope(Direction.BOTH, 1, 0, Duration.ZERO, 0);

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the bad value and the rule
     */
    public FaultScope {
        Objects.requireNonNull(direction, "direction");
        Checks.probability("probability", probability);
        Checks.atLeast("afterBytes", afterBytes, 0);
        Checks.duration("after", after, true);
        if (onConnection < 0) {
            throw new IllegalArgumentException("onConnection " + onConnection
                    + " must be >= 1 (connections count from 1; 0 means every connection)");
        }
    }

    /**
     * Returns this scope acting in {@code direction}.
     *
     * @param direction the direction to act in, not null
     * @return a scope like this one in {@code direction}
     */
    public FaultScope withDirection(Direction direction) {
        return new FaultScope(direction, probability, afterBytes, after, onConnection);
    }

    /**
     * Returns this scope with probability {@code p}.
     *
     * @param p the probability, in {@code [0, 1]}
     * @return a scope like this one with probability {@code p}
     */
    public FaultScope withProbability(double p) {
        return new FaultScope(direction, p, afterBytes, after, onConnection);
    }

    /**
     * Returns this scope acting once {@code bytes} have passed.
     *
     * @param bytes the byte trigger, zero or positive; 0 acts at once
     * @return a scope like this one with the byte trigger {@code bytes}
     */
    public FaultScope withAfterBytes(long bytes) {
        return new FaultScope(direction, probability, bytes, after, onConnection);
    }

    /**
     * Returns this scope acting once a connection is {@code age} old.
     *
     * @param age the age trigger, zero or positive, at most {@link Fault#MAX_DURATION}; zero acts at once
     * @return a scope like this one with the age trigger {@code age}
     */
    public FaultScope withAfter(Duration age) {
        return new FaultScope(direction, probability, afterBytes, age, onConnection);
    }

    /**
     * Returns this scope limited to the {@code n}-th connection after injection.
     *
     * @param n the connection number, from 1; 0 for every connection
     * @return a scope like this one limited to connection {@code n}
     */
    public FaultScope withOnConnection(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("onConnection " + n + " must be >= 1 (connections count from 1)");
        }
        return new FaultScope(direction, probability, afterBytes, after, n);
    }

    /**
     * Returns true if the fault acts on traffic flowing {@code flow} ({@code TO_SERVER} or {@code TO_CLIENT}).
     *
     * @param flow the direction traffic flows
     * @return true if this scope's direction is {@code BOTH} or equals {@code flow}
     */
    public boolean covers(Direction flow) {
        return direction.covers(flow);
    }

    /**
     * Returns true if a byte, age or connection trigger is set.
     *
     * @return false if the fault acts at once on every connection
     */
    public boolean hasTrigger() {
        return afterBytes != 0 || !after.isZero() || onConnection != 0;
    }
}
