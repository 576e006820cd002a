package dev.loopback.junit.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Checks a condition until it holds or a timeout passes: the waits of
 * {@link dev.loopback.junit.LoopbackAwait} and the leak check's grace period. (Awaitility did this
 * once; it has no stable module name, so a published module cannot {@code requires} it.)
 */
public final class Poll {

    /** How often the condition is checked. */
    public static final Duration INTERVAL = Duration.ofMillis(10);

    private Poll() {}

    /**
     * Checks {@code condition} at once, then every {@link #INTERVAL} until it holds or
     * {@code timeout} has passed. An interrupt ends the wait early (the interrupt stays set).
     *
     * @return true as soon as the condition holds; false if it did not within {@code timeout}
     */
    public static boolean until(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, INTERVAL.toNanos()));
        }
        return true;
    }
}
