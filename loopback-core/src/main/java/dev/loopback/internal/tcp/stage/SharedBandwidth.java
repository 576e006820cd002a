package dev.loopback.internal.tcp.stage;

import java.util.IdentityHashMap;
import java.util.Iterator;

/**
 * One direction of a {@code bandwidth(...).shared()} fault on a link: the bucket every connection
 * draws from, and the flows that drew from it lately, among which the rate is split evenly.
 *
 * <p>A flow (one connection's direction) is <em>active</em> while it asked for bytes within the last
 * {@value #ACTIVE_MILLIS} ms; a flow limited by the bandwidth asks at least every few milliseconds
 * (its own bucket's quantum), so it stays active for as long as it has bytes to send. Each active
 * flow's own bucket refills at {@code rate / active flows}, and every write also takes from the
 * shared bucket, so the total never exceeds the rate: this is fair queueing by rate, the share a
 * real bottleneck's fair queue (or TCP's own congestion control, roughly) gives. A flow that stops
 * asking — done, or held by its reader — leaves the count {@value #ACTIVE_MILLIS} ms later and the
 * others speed up. The connections of one link may be served by different engine threads, so
 * every method is synchronized on this object (uncontended but for shared-bandwidth faults).
 */
public final class SharedBandwidth {

    /**
     * How much a flow's own bucket may catch up after a late wake-up: 100 ms worth of its share, so
     * that no flow takes more than a tenth of a second's share from the others; the shared bucket
     * itself catches up the link's whole second, so the total rate holds on a busy machine.
     */
    static final double OWN_CATCH_UP_SECONDS = 0.1;

    /** How long a flow counts as active after it last asked. */
    static final long ACTIVE_MILLIS = 200;
    private static final long ACTIVE_NANOS = ACTIVE_MILLIS * 1_000_000;
    /** How often the active flows are recounted. */
    private static final long RECOUNT_NANOS = 5_000_000;

    private final long rate;
    private final TokenBucket bucket;
    private final IdentityHashMap<Object, Long> lastAsked = new IdentityHashMap<>();
    private int active = 1;
    private long countedAt;

    public SharedBandwidth(long bytesPerSecond, long now) {
        this.rate = bytesPerSecond;
        this.bucket = new TokenBucket(bytesPerSecond, now);
        this.countedAt = now;
    }

    /** The bytes the shared bucket holds at {@code now}. */
    synchronized long available(long now) {
        return bucket.available(now);
    }

    /** When the shared bucket holds {@code wanted} bytes, if nothing else takes from it first. */
    synchronized long readyAt(long wanted, long now) {
        return bucket.readyAt(wanted, now);
    }

    /** Takes {@code bytes} written by one flow from the shared bucket. */
    synchronized void take(long bytes) {
        bucket.take(bytes);
    }

    /** Records that {@code flow} asks now; returns its fair rate in bytes per second (at least 1). */
    synchronized long fairRate(Object flow, long now) {
        Long before = lastAsked.put(flow, now);
        if (before == null || now - before > ACTIVE_NANOS || now - countedAt > RECOUNT_NANOS) {
            recount(now);
        }
        return Math.max(1, rate / active);
    }

    private void recount(long now) {
        int n = 0;
        for (Iterator<Long> it = lastAsked.values().iterator(); it.hasNext(); ) {
            if (now - it.next() > ACTIVE_NANOS) {
                it.remove();
            } else {
                n++;
            }
        }
        active = Math.max(1, n);
        countedAt = now;
    }
}
