package dev.loopback;

import java.time.Duration;
import java.util.Objects;

/**
 * Closes a connection with FIN once it is old enough (TCP): made by {@link Fault#cutAfter(Duration)}.
 * The age counts from the link's accept; then the link sends FIN both ways, drops what it still
 * holds and discards further input until each side closes. Its kind is {@link FaultKind#CUT}.
 *
 * @param age the connection's age at the cut, zero or positive, at most {@link Fault#MAX_DURATION}
 * @param scope direction, probability and triggers
 */
public record CutAfterAge(Duration age, FaultScope scope) implements TcpFault, ScopedFault<CutAfterAge> {

    /** Checks every option; throws {@link IllegalArgumentException} naming a bad one. */
    public CutAfterAge {
        Checks.duration("cutAfter age", age, true);
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public CutAfterAge withScope(FaultScope scope) {
        return new CutAfterAge(age, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.CUT;
    }

    @Override
    public String toString() {
        return FaultText.of("cutAfter(" + FaultText.duration(age) + ")", scope, false);
    }
}
