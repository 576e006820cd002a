package dev.loopback.junit.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * How Loopback waits, on Awaitility: the condition is checked at once, then every {@link #INTERVAL},
 * on the calling thread (no poller thread, so an interrupt of the test ends the wait), until it
 * holds or the timeout passes. Used by {@link dev.loopback.junit.LoopbackAwait} and the leak check's grace
 * period.
 */
public final class Poll {

    /** How often the condition is checked. */
    public static final Duration INTERVAL = Duration.ofMillis(10);

    private Poll() {}

    /**
     * Returns an Awaitility wait, named {@code alias} in its messages, that checks at once and then
     * every {@link #INTERVAL} on the calling thread for at most {@code timeout} (positive).
     */
    public static ConditionFactory await(String alias, Duration timeout) {
        return Awaitility.await(alias)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(INTERVAL)
                .atMost(timeout);
    }

    /**
     * Returns true as soon as {@code condition} holds, false if it did not within {@code timeout}; a
     * zero timeout checks once.
     */
    public static boolean until(String alias, Duration timeout, BooleanSupplier condition) {
        if (condition.getAsBoolean()) {
            return true;
        }
        if (timeout.isZero()) {
            return false;
        }
        try {
            await(alias, timeout).until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException timedOut) {
            return false;
        }
    }
}
