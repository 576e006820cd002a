package dev.loopback;

import java.time.Duration;
import java.util.Objects;

/**
 * TCP loss with a stall of its own (TCP only): made by {@code Fault.loss(p).stall(d)}. A lost
 * segment stalls for {@link #stall()} and then arrives intact, as {@link Loss} describes; its kind
 * is {@link FaultKind#LOSS}.
 *
 * @param stall how long a lost segment stalls, positive, at most {@link Fault#MAX_DURATION}
 * @param scope direction, probability (the loss rate) and triggers
 */
public record LossStall(Duration stall, FaultScope scope) implements TcpFault, ScopedFault<LossStall> {

    /** Checks every option; throws {@link IllegalArgumentException} naming a bad one. */
    public LossStall {
        Checks.duration("stall", stall, false);
        Objects.requireNonNull(scope, "scope");
    }

    /**
     * Returns this loss with another stall.
     *
     * @param stall positive, at most {@link Fault#MAX_DURATION}
     * @return a loss like this one that stalls a lost segment for {@code stall}
     */
    public LossStall stall(Duration stall) {
        return new LossStall(stall, scope);
    }

    @Override
    public LossStall withScope(FaultScope scope) {
        return new LossStall(stall, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.LOSS;
    }

    @Override
    public String toString() {
        return FaultText.of("loss(" + scope.probability() + ").stall(" + FaultText.duration(stall) + ")", scope, true);
    }
}
