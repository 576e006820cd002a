package dev.loopback;

import java.util.Objects;

/**
 * Cuts long datagrams (UDP), as a small MTU would: made by {@link Fault#truncate(int)}. A datagram
 * longer than {@link #maxBytes()} keeps its first {@code maxBytes} bytes; shorter ones are
 * untouched. Counted as {@code truncated}.
 *
 * @param maxBytes the longest datagram passed whole, zero or positive
 * @param scope direction, probability (per datagram) and triggers
 */
public record Truncate(int maxBytes, FaultScope scope) implements UdpFault, ScopedFault<Truncate> {

    /** Checks every option; throws {@link IllegalArgumentException} naming a bad one. */
    public Truncate {
        Checks.atLeast("truncate maxBytes", maxBytes, 0);
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public Truncate withScope(FaultScope scope) {
        return new Truncate(maxBytes, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.TRUNCATE;
    }

    @Override
    public String toString() {
        return FaultText.of("truncate(" + maxBytes + ")", scope, false);
    }
}
