package dev.loopback;

import java.util.Objects;

/**
 * Burst loss after netem's {@code loss gemodel p r 1-h 1-k} (UDP): made by
 * {@link Fault#gilbertElliott(double, double, double, double)} and {@link Fault#gilbert(double, double)}.
 * A two-state Markov chain moves good → bad with probability {@code p} and bad → good with
 * {@code r}; a datagram is lost with probability {@code 1-h} in the bad state and {@code 1-k} in the
 * good one. As netem does, the chain draws its transition first and the loss uses the state the
 * datagram found. Bursts last {@code 1/r} datagrams on average. With a scope probability below 1,
 * only that share of datagrams meets the chain. Its kind is {@link FaultKind#LOSS}.
 *
 * @param p good → bad, in {@code [0, 1]}
 * @param r bad → good, in {@code [0, 1]}, positive if {@code p} is
 * @param oneMinusH loss probability in the bad state, in {@code [0, 1]}
 * @param oneMinusK loss probability in the good state, in {@code [0, 1]}
 * @param scope direction, probability and triggers
 */
public record GilbertElliott(double p, double r, double oneMinusH, double oneMinusK, FaultScope scope)
        implements UdpFault, ScopedFault<GilbertElliott> {

    /** Checks every option; throws {@link IllegalArgumentException} naming a bad one. */
    public GilbertElliott {
        Checks.probability("p (good to bad)", p);
        Checks.probability("r (bad to good)", r);
        Checks.probability("1-h (loss in bad state)", oneMinusH);
        Checks.probability("1-k (loss in good state)", oneMinusK);
        if (p > 0 && r == 0) {
            throw new IllegalArgumentException("r (bad to good) is 0 while p (good to bad) is " + p
                    + ": the chain would enter the bad state and never leave; r must be > 0");
        }
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public GilbertElliott withScope(FaultScope scope) {
        return new GilbertElliott(p, r, oneMinusH, oneMinusK, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.LOSS;
    }

    @Override
    public String toString() {
        String call = oneMinusH == 1 && oneMinusK == 0
                ? "gilbert(" + p + ", " + r + ")"
                : "gilbertElliott(" + p + ", " + r + ", " + oneMinusH + ", " + oneMinusK + ")";
        return FaultText.of(call, scope, false);
    }
}
