package dev.loopback.junit.internal;

import java.nio.charset.StandardCharsets;

/**
 * Derives a space's seed from the run seed and the unique id of its test or class, as documented
 * on {@link dev.loopback.junit.LoopbackSeed}. Stable: changing it breaks every printed seed.
 */
public final class SeedDerivation {

    private static final String ENGINE_SEGMENT = "[engine:";

    private SeedDerivation() {}

    /** Returns {@code mix(runSeed ^ mix(fnv1a64(stableId(uniqueId))))}. */
    public static long spaceSeed(long runSeed, String uniqueId) {
        return mix(runSeed ^ mix(fnv1a64(stableId(uniqueId))));
    }

    /**
     * Drops every segment up to and including the last {@code [engine:…]} one, so that a test has
     * the same id run alone, by its class or inside a suite.
     */
    static String stableId(String uniqueId) {
        int engine = uniqueId.lastIndexOf(ENGINE_SEGMENT);
        if (engine < 0) {
            return uniqueId;
        }
        int end = uniqueId.indexOf("]/", engine);
        return end < 0 ? "" : uniqueId.substring(end + 2);
    }

    static long fnv1a64(String text) {
        long h = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }

    /** The SplitMix64 finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
