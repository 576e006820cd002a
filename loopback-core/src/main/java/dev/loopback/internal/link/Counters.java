package dev.loopback.internal.link;

import dev.loopback.FaultKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters written by one engine thread and read by any thread: single-writer, so an increment is
 * a plain read and an ordered write, never a compare-and-set.
 */
public final class Counters {

    private final AtomicLongArray values;

    public Counters(int size) {
        values = new AtomicLongArray(size);
    }

    public void add(int index, long delta) {
        values.lazySet(index, values.get(index) + delta);
    }

    public void increment(int index) {
        add(index, 1);
    }

    public long get(int index) {
        return values.get(index);
    }

    /** Returns the non-zero counts of the {@link FaultKind#values()} stored from index {@code first} on, by kind. */
    public Map<FaultKind, Long> byKind(int first) {
        Map<FaultKind, Long> counts = new EnumMap<>(FaultKind.class);
        for (FaultKind kind : FaultKind.values()) {
            long n = get(first + kind.ordinal());
            if (n != 0) {
                counts.put(kind, n);
            }
        }
        return counts;
    }
}
