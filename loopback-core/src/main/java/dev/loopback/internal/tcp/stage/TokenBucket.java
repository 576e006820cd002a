package dev.loopback.internal.tcp.stage;

/**
 * A token bucket of bytes for a bandwidth fault, refilled at {@code rate} bytes per second.
 *
 * <ul>
 *   <li>It starts with 5 ms worth of bytes, so the first bytes leave at once without a burst.
 *   <li>A waiting flow wakes when 5 ms worth (or what it needs) is there: writes stay large at high
 *       rates, and the engine does not spin for each byte at low ones.
 *   <li>An idle bucket holds at most 20 ms worth, so an idle connection cannot burst far above the
 *       rate; a bucket that was waiting keeps up to 1 s worth (or less, if made so), so a late
 *       engine wake-up (a busy machine) is caught up and the average rate holds.
 * </ul>
 * Loop thread only.
 */
public final class TokenBucket {

    private static final double IDLE_CAPACITY_SECONDS = 0.020;
    /** How much a waiting bucket may catch up, unless made with less: 1 s worth. */
    static final double CATCH_UP_SECONDS = 1.0;
    private static final double QUANTUM_SECONDS = 0.005;

    private final double catchUpSeconds;
    private long rate;
    private double perNano;
    private double idleCapacity;
    private double waitingCapacity;
    private long quantum;
    private double tokens;
    private long refilledAt;
    private boolean waiting;

    public TokenBucket(long bytesPerSecond, long now) {
        this(bytesPerSecond, now, CATCH_UP_SECONDS);
    }

    /** A bucket whose waiting capacity is {@code catchUpSeconds} worth instead of 1 s. */
    TokenBucket(long bytesPerSecond, long now, double catchUpSeconds) {
        this.catchUpSeconds = catchUpSeconds;
        setRate(bytesPerSecond);
        tokens = quantum;
        refilledAt = now;
    }

    /** Refills at the old rate until {@code now}, then at {@code bytesPerSecond} (positive); the tokens held are kept. */
    public void rate(long bytesPerSecond, long now) {
        if (bytesPerSecond != rate) {
            available(now);
            setRate(bytesPerSecond);
        }
    }

    private void setRate(long bytesPerSecond) {
        rate = bytesPerSecond;
        perNano = bytesPerSecond / 1e9;
        quantum = Math.max(1, (long) (bytesPerSecond * QUANTUM_SECONDS));
        idleCapacity = Math.max((double) quantum, bytesPerSecond * IDLE_CAPACITY_SECONDS);
        waitingCapacity = Math.max(idleCapacity, bytesPerSecond * catchUpSeconds);
    }

    /** Returns the whole bytes available now. */
    public long available(long now) {
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(waiting ? waitingCapacity : idleCapacity, tokens + elapsed * perNano);
            refilledAt = now;
            waiting = false;
        }
        return (long) tokens;
    }

    public void take(long bytes) {
        tokens -= bytes;
    }

    /** Returns when {@code min(wanted, 5 ms worth)} bytes will be available; the bucket counts as waiting until then. */
    public long readyAt(long wanted, long now) {
        waiting = true;
        double missing = Math.min(wanted, quantum) - tokens;
        return now + Math.max(1_000, (long) Math.ceil(missing / perNano));
    }
}
