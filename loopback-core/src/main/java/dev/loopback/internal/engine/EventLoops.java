package dev.loopback.internal.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine threads shared by every link of the JVM: at most two {@link EventLoop}s (one on a
 * single-CPU machine), started lazily as daemon threads named {@code loopback-io-N}. Their number
 * never grows with links or connections.
 */
public final class EventLoops {

    /** Name prefix of engine threads. */
    public static final String THREAD_PREFIX = "loopback-io-";

    private static final int COUNT = Math.min(2, Math.max(1, Runtime.getRuntime().availableProcessors()));
    private static final EventLoop[] LOOPS = new EventLoop[COUNT];
    private static final AtomicInteger NEXT = new AtomicInteger();

    private EventLoops() {}

    /** Returns the next loop, round robin, starting it if needed. */
    public static EventLoop next() {
        return at(nextIndex());
    }

    /** Takes the next turn of the round robin: an index for {@link #at}. */
    public static int nextIndex() {
        return NEXT.getAndIncrement();
    }

    /**
     * Returns loop {@code n} modulo the number of loops, starting it if needed: a link that takes
     * one index spreads its connections over the loops by their numbers, whatever other links do.
     */
    public static EventLoop at(long n) {
        int i = (int) Math.floorMod(n, (long) COUNT);
        synchronized (LOOPS) {
            if (LOOPS[i] == null) {
                LOOPS[i] = new EventLoop(THREAD_PREFIX + (i + 1));
            }
            return LOOPS[i];
        }
    }
}
