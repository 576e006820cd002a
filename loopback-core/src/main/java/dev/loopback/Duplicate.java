package dev.loopback;

import java.util.Objects;

/**
 * Sends datagrams twice (UDP): made by {@link Fault#duplicate(double)}. With the scope's
 * probability a datagram is sent a second time; each copy then goes through the rest of the
 * link's faults (delayed, corrupted, …) on its own. Counted as {@code duplicated}.
 *
 * @param scope direction, probability (per datagram) and triggers
 */
public record Duplicate(FaultScope scope) implements UdpFault, ScopedFault<Duplicate> {

    /** Checks the scope. */
    public Duplicate {
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public Duplicate withScope(FaultScope scope) {
        return new Duplicate(scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.DUPLICATE;
    }

    @Override
    public String toString() {
        return FaultText.of("duplicate(" + scope.probability() + ")", scope, true);
    }
}
