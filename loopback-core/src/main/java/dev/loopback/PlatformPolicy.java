package dev.loopback;

/**
 * What a space does on a platform that cannot bind loopback addresses beyond {@code 127.0.0.1}
 * (macOS without {@code lo0} aliases). Linux binds the whole of {@code 127.0.0.0/8} and never needs
 * a policy.
 */
public enum PlatformPolicy {
    /**
     * Every host is {@code 127.0.0.1} and only kernel-assigned ports are handed out; asking for a
     * fixed port fails with a message that explains why and names the alias command that fixes it.
     * Isolation then rests on kernel-assigned ports alone.
     */
    FALLBACK,
    /** Opening a space throws {@link LoopbackUnavailableException}; test frameworks report the test as skipped. */
    SKIP,
    /** Opening a space throws {@link LoopbackUnavailableException} with the exact alias command to run. */
    FAIL
}
