package dev.loopback.internal.udp;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters written by the link's loop thread only and read by any thread: single-writer, so an
 * increment is a plain read and an ordered write, never a compare-and-set.
 */
final class Counters {

    private final AtomicLongArray values;

    Counters(int size) {
        values = new AtomicLongArray(size);
    }

    void add(int index, long delta) {
        values.lazySet(index, values.get(index) + delta);
    }

    void increment(int index) {
        add(index, 1);
    }

    long get(int index) {
        return values.get(index);
    }
}
