package dev.loopback;

import java.time.Duration;
import java.util.Objects;

/**
 * Delays a FIN (TCP): made by {@link Fault#slowClose(Duration)}. When one side half-closes or
 * closes, the FIN reaches the other side {@link #delay()} after the link read it; the data before
 * it is not delayed.
 *
 * @param delay positive, at most {@link Fault#MAX_DURATION}
 * @param scope direction (of the FIN), probability and triggers
 */
public record SlowClose(Duration delay, FaultScope scope) implements TcpFault, ScopedFault<SlowClose> {

    /** Checks every option; throws {@link IllegalArgumentException} naming a bad one. */
    public SlowClose {
        Checks.duration("slowClose delay", delay, false);
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public SlowClose withScope(FaultScope scope) {
        return new SlowClose(delay, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.SLOW_CLOSE;
    }

    @Override
    public String toString() {
        return FaultText.of("slowClose(" + FaultText.duration(delay) + ")", scope, false);
    }
}
