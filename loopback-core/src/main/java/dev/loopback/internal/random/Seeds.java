package dev.loopback.internal.random;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Derives independent, reproducible seeds from a parent seed: space → link → fault → connection.
 * A derived seed depends only on the parent and the label, never on thread timing.
 */
public final class Seeds {

    private Seeds() {}

    /** Returns a fresh random seed for a space opened without one. */
    public static long fresh() {
        return ThreadLocalRandom.current().nextLong();
    }

    /** Derives the child seed for {@code index} (a link, fault or connection number). */
    public static long derive(long parent, long index) {
        return mix(mix(parent) ^ mix(index + 0x9E3779B97F4A7C15L));
    }

    /** Derives the child seed for a named child (for example a test's unique id). */
    public static long derive(long parent, String label) {
        long h = 0xCBF29CE484222325L;
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return derive(parent, h);
    }

    /** Returns a random generator seeded with {@code seed}. */
    public static SplittableRandom random(long seed) {
        return new SplittableRandom(seed);
    }

    /** The SplitMix64 finalizer: a bijective, well-mixing 64-bit hash. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
