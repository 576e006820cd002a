package dev.loopback;

import java.util.Objects;

/**
 * Reorders datagrams as netem's {@code reorder p gap} (UDP): made by {@link Fault#reorder(double, int)}.
 * With a latency on the link, {@code gap - 1} datagrams wait for the latency, then the next one is
 * sent at once with the scope's probability (the count restarts when one is) and overtakes those
 * waiting. Without a latency, a waiting datagram is held until the next one arrives (at most
 * 10 ms), so a chosen datagram overtakes exactly the one before it.
 *
 * @param gap every {@code gap}-th datagram is a candidate, at least 1
 * @param scope direction, probability (per candidate) and triggers
 */
public record Reorder(int gap, FaultScope scope) implements UdpFault, ScopedFault<Reorder> {

    /** Checks every option; throws {@link IllegalArgumentException} naming a bad one. */
    public Reorder {
        if (gap < 1) {
            throw new IllegalArgumentException("reorder gap " + gap + " must be >= 1");
        }
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public Reorder withScope(FaultScope scope) {
        return new Reorder(gap, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.REORDER;
    }

    @Override
    public String toString() {
        return FaultText.of("reorder(" + scope.probability() + ", " + gap + ")", scope, true);
    }
}
