package dev.loopback;

import java.util.Objects;

/**
 * Flips one bit of datagrams (UDP): made by {@link Fault#corrupt(double)}. With the scope's
 * probability a datagram keeps its length and has exactly one bit flipped at a random position
 * drawn from the fault's stream; empty datagrams are untouched. Counted as {@code corrupted}.
 *
 * @param scope direction, probability (per datagram) and triggers
 */
public record Corrupt(FaultScope scope) implements UdpFault, ScopedFault<Corrupt> {

    /** Checks the scope. */
    public Corrupt {
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public Corrupt withScope(FaultScope scope) {
        return new Corrupt(scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.CORRUPT;
    }

    @Override
    public String toString() {
        return FaultText.of("corrupt(" + scope.probability() + ")", scope, true);
    }
}
