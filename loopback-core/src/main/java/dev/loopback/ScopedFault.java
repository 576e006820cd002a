package dev.loopback;

import java.time.Duration;

/**
 * The refinements every fault has: its direction, probability and triggers, each returning a new
 * value of the fault's own type {@code F} with its {@link FaultScope} changed, so that options of
 * the kind still follow ({@code Fault.bandwidth(n).toClient().shared()}).
 *
 * @param <F> the fault's own type
 */
public sealed interface ScopedFault<F extends ScopedFault<F>> extends Fault
        permits Latency, Bandwidth, Rate, Loss, LossStall, GilbertElliott, Reset, Refuse, Blackhole, Freeze,
                CutAfterBytes, CutAfterAge, SlowClose, Slice, SlowOpen, Duplicate, Reorder, Corrupt, Truncate {

    /**
     * Returns this fault with {@code scope} instead of its own; the one method every kind
     * implements, on which every refinement below is built.
     *
     * @param scope the new scope, not null
     * @return a fault of the same kind and options with {@code scope}
     * @throws IllegalArgumentException if the kind does not accept the scope (see {@link Refuse},
     *     {@link SlowOpen})
     */
    F withScope(FaultScope scope);

    /**
     * Returns this fault acting on client → server traffic only.
     *
     * @return this fault with direction {@code TO_SERVER}
     */
    default F toServer() {
        return direction(Direction.TO_SERVER);
    }

    /**
     * Returns this fault acting on server → client traffic only.
     *
     * @return this fault with direction {@code TO_CLIENT}
     */
    default F toClient() {
        return direction(Direction.TO_CLIENT);
    }

    /**
     * Returns this fault acting in {@code direction}.
     *
     * @param direction the direction to act in, not null
     * @return this fault with {@code direction}
     */
    default F direction(Direction direction) {
        return withScope(scope().withDirection(direction));
    }

    /**
     * Returns this fault acting with probability {@code p}: per connection for faults that act on
     * whole connections, per segment or datagram for latency and loss, per cut for slice. For
     * {@link Loss}, {@link Duplicate}, {@link Reorder} and {@link Corrupt} this replaces the
     * factory's probability.
     *
     * @param p the probability, in {@code [0, 1]}
     * @return this fault with probability {@code p}
     */
    default F probability(double p) {
        return withScope(scope().withProbability(p));
    }

    /**
     * Returns this fault acting only once a connection (or UDP client mapping) has carried
     * {@code bytes} in the fault's direction (either direction for a fault on both).
     *
     * @param bytes the byte trigger, zero or positive; 0 acts at once
     * @return this fault with the byte trigger {@code bytes}
     */
    default F afterBytes(long bytes) {
        return withScope(scope().withAfterBytes(bytes));
    }

    /**
     * Returns this fault acting only once a connection (or UDP client mapping) is {@code age} old.
     *
     * @param age the age trigger, zero or positive, at most {@link Fault#MAX_DURATION}
     * @return this fault with the age trigger {@code age}
     */
    default F after(Duration age) {
        return withScope(scope().withAfter(age));
    }

    /**
     * Returns this fault acting only on the {@code n}-th connection (1-based) the link accepts after injection.
     *
     * @param n the connection number, from 1
     * @return this fault limited to connection {@code n}
     */
    default F onConnection(int n) {
        return withScope(scope().withOnConnection(n));
    }
}
