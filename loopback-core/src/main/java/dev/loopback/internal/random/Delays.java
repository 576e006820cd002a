package dev.loopback.internal.random;

import dev.loopback.Distribution;
import java.util.random.RandomGenerator;

/**
 * Samples jittered delays in nanoseconds, never below zero and never above
 * {@link dev.loopback.Fault#MAX_DURATION} (a long-tailed distribution could otherwise sample a delay
 * that overflows when added to a time).
 */
public final class Delays {

    private static final long MAX_NANOS = dev.loopback.Fault.MAX_DURATION.toNanos();

    private static final double PARETO_SHAPE = 3.0;
    private static final double PARETO_MEAN = PARETO_SHAPE / (PARETO_SHAPE - 1);
    private static final double PARETO_STD =
            Math.sqrt(PARETO_SHAPE / ((PARETO_SHAPE - 1) * (PARETO_SHAPE - 1) * (PARETO_SHAPE - 2)));

    private Delays() {}

    /** Returns a delay around {@code meanNanos} spread by {@code jitterNanos}, in {@code [0, MAX_DURATION]}. */
    public static long sample(Distribution distribution, long meanNanos, long jitterNanos, RandomGenerator random) {
        if (jitterNanos == 0) {
            return meanNanos;
        }
        double mean = meanNanos;
        double jitter = jitterNanos;
        double value = switch (distribution) {
            case UNIFORM -> mean + (random.nextDouble() * 2 - 1) * jitter;
            case NORMAL -> mean + random.nextGaussian() * jitter;
            case PARETO -> {
                double x = Math.pow(1 - random.nextDouble(), -1 / PARETO_SHAPE);
                yield mean + (x - PARETO_MEAN) / PARETO_STD * jitter;
            }
            case LOGNORMAL -> {
                double sigma2 = Math.log(1 + (jitter * jitter) / (mean * mean));
                double mu = Math.log(mean) - sigma2 / 2;
                yield Math.exp(mu + Math.sqrt(sigma2) * random.nextGaussian());
            }
        };
        return value <= 0 ? 0 : value >= MAX_NANOS ? MAX_NANOS : (long) value;
    }
}
