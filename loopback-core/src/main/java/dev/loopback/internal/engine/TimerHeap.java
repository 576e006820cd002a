package dev.loopback.internal.engine;

import java.util.Arrays;

/**
 * A binary min-heap of armed timers by deadline, with O(log n) removal; timers with the same
 * deadline fire in the order they were armed. Loop thread only.
 */
final class TimerHeap {

    private Timer[] heap = new Timer[64];
    private int size;
    private long armed;

    boolean isEmpty() {
        return size == 0;
    }

    /** Returns the earliest timer without removing it; the heap must not be empty. */
    Timer peek() {
        return heap[0];
    }

    void add(Timer t, long deadline) {
        if (t.index >= 0) {
            remove(t);
        }
        t.deadline = deadline;
        t.order = armed++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.index = size;
        size++;
        up(t.index);
    }

    void remove(Timer t) {
        int i = t.index;
        if (i < 0) {
            return;
        }
        size--;
        Timer last = heap[size];
        heap[size] = null;
        t.index = -1;
        if (i != size) {
            heap[i] = last;
            last.index = i;
            down(i);
            up(last.index);
        }
    }

    /** Removes and returns the earliest timer. */
    Timer poll() {
        Timer t = heap[0];
        remove(t);
        return t;
    }

    private void up(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!before(t, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void down(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Timer c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, t)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }

    private static boolean before(Timer a, Timer b) {
        long d = a.deadline - b.deadline;
        return d < 0 || (d == 0 && a.order < b.order);
    }
}
