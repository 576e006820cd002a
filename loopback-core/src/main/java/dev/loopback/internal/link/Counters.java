package dev.loopback.internal.link;

import dev.loopback.FaultKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters written by the engine threads and read by any thread. Atomic adds: the connections of
 * one TCP link are served by both engine threads, so a link's counters have two writers.
 */
public final class Counters {

    private final AtomicLongArray values;

    public Counters(int size) {
        values = new AtomicLongArray(size);
    }

    public void add(int index, long delta) {
        values.getAndAdd(index, delta);
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
