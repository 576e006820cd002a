package dev.loopback.internal.tcp;

/**
 * A token bucket of bytes for a bandwidth fault: refills at {@code rate} bytes per second up to a
 * burst of 10 ms worth of bytes (at least one byte), starting full. Loop thread only.
 */
final class TokenBucket {

    private static final long BURST_NANOS = 10_000_000;

    private final long rate;
    private final long burst;
    private double tokens;
    private long refilledAt;

    TokenBucket(long bytesPerSecond, long now) {
        rate = bytesPerSecond;
        burst = Math.max(1, (long) (bytesPerSecond * (BURST_NANOS / 1e9)));
        tokens = burst;
        refilledAt = now;
    }

    /** Returns the whole bytes available now. */
    long available(long now) {
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * (rate / 1e9));
            refilledAt = now;
        }
        return (long) tokens;
    }

    void take(long bytes) {
        tokens -= bytes;
    }

    /** Returns when {@code min(wanted, burst)} bytes will be available. */
    long readyAt(long wanted, long now) {
        double missing = Math.min(wanted, burst) - tokens;
        return now + Math.max(1_000, (long) Math.ceil(missing * 1e9 / rate));
    }
}
