package dev.loopback;

/**
 * How a jittered delay is spread around its mean, after {@code netem}'s delay distributions.
 * Sampled delays are never negative: a sample below zero is taken as zero.
 */
public enum Distribution {
    /** Evenly spread over {@code mean ± jitter}. */
    UNIFORM,
    /** Normal, with the jitter as its standard deviation. */
    NORMAL,
    /** Pareto (shape 3), shifted and scaled to the given mean and standard deviation: a long right tail of rare, very late segments or datagrams. */
    PARETO,
    /** Log-normal with the given mean and standard deviation: skewed right, never below zero. Needs a positive mean. */
    LOGNORMAL
}
