package dev.loopback.internal.udp;

import java.util.PriorityQueue;

/** Actions due at {@link System#nanoTime()} instants, run in time order (ties in scheduling order). Loop thread only. */
final class Timer {

    private record Task(long at, long order, Runnable action) {}

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at - b.at, 0)
            : Long.compare(a.order, b.order));
    private long scheduled;

    void schedule(long at, Runnable action) {
        tasks.add(new Task(at, scheduled++, action));
    }

    /** Returns the instant of the next task, or {@code now + max} if there is none that soon. */
    long nextAt(long now, long max) {
        Task next = tasks.peek();
        return next == null || next.at - now > max ? now + max : next.at;
    }

    /** Runs every task due at {@code now}, including those they schedule for {@code now} or earlier. */
    void runDue(long now) {
        Task next;
        while ((next = tasks.peek()) != null && next.at - now <= 0) {
            tasks.poll();
            next.action.run();
        }
    }
}
