package dev.loopback.internal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One engine thread: a selector, the tasks handed to it from other threads and a timer heap.
 * Channels, timers and chunks of a loop are used on its thread only; other threads talk to it
 * through {@link #execute(Runnable)}.
 *
 * <p>Timers are precise: the loop sleeps in {@code select} until about a millisecond before the
 * next deadline (its timeout has millisecond steps), then polls the selector between short naps of
 * at most {@value #NAP_NANOS} ns, and without napping for the last {@value #SPIN_NANOS} ns, so a
 * timer fires within a few microseconds after its deadline and never before. The naps matter on a
 * busy machine: polling through the whole last millisecond before every deadline keeps the thread
 * runnable and takes a CPU from the client, the server and the other engine thread (with a 1 ms
 * latency that is most of the time). Readiness that comes during a nap waits for its end, at most
 * {@value #NAP_NANOS} ns plus the kernel's timer slack; tasks wake the loop at once
 * ({@link #execute} unparks it).
 *
 * <p><b>Failures.</b> Whatever a handler or a timer throws goes back to its owner
 * ({@link Handler#failed}, {@link Timer#failed}), which resets what it serves; a task that throws
 * is logged. The loop itself carries on in every case, so one failing connection or link never
 * stops the others.
 */
public final class EventLoop {

    /**
     * Size of the loop's read buffer for bytes that are written on at once: the read size of a
     * connection with no fault, whatever its link's bound (bulk transfers run faster with larger
     * reads: 1.09× NetCrusher with 4 MiB reads, 0.8–0.9× with 256 KiB ones, see
     * docs/benchmarks.md). One per engine thread, not per connection.
     */
    public static final int READ_BUFFER_BYTES = 4 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final long POLL_BEFORE_DEADLINE_NANOS = 1_000_000;
    private static final long NAP_NANOS = 100_000;
    /** Kernel timer slack (50 µs by default) plus margin: a nap ends this long before a deadline. */
    private static final long SPIN_NANOS = 60_000;
    private static final int MAX_POOLED_CHUNKS = 64;
    private static final long CALL_TIMEOUT_SECONDS = 10;

    /** Capacity of the pooled buffers of {@link #takeChunk()}. */
    public static final int CHUNK_BYTES = 64 * 1024;

    /** Buffers per scattering read or gathering write: the length of {@link #vector()}. */
    public static final int IO_VECTOR = 16;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final TimerHeap timers = new TimerHeap();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
    private final ByteBuffer[] vector = new ByteBuffer[IO_VECTOR];
    private final Consumer<SelectionKey> dispatch = EventLoop::dispatch;

    EventLoop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the Loopback engine", e);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Returns true on the loop's own thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread soon; never blocks. */
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
            LockSupport.unpark(thread); // if napping before a deadline, see select()
        }
    }

    /**
     * Runs {@code task} on the loop thread and waits for it (at once when called on the loop).
     * For short control actions only, such as closing a listening socket.
     */
    public void call(Runnable task) {
        if (inLoop()) {
            task.run();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        execute(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Loopback engine", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Loopback engine thread " + thread.getName() + " did not respond within "
                    + CALL_TIMEOUT_SECONDS + " s", e);
        }
    }

    /** Registers {@code channel} with {@code ops}; the handler is called on readiness. Loop thread only. */
    public SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws ClosedChannelException {
        return channel.register(selector, ops, handler);
    }

    /** Processes cancelled keys now, so that closed channels release their sockets at once. Loop thread only. */
    public void flushClosed() {
        try {
            selector.selectNow(dispatch);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "selectNow failed", e);
        }
    }

    /** Arms (or moves) {@code timer} to fire at {@code deadline} ({@link System#nanoTime()} units). Loop thread only. */
    public void schedule(Timer timer, long deadline) {
        timers.add(timer, deadline);
    }

    /** Disarms {@code timer}; no-op if it is not armed. Loop thread only. */
    public void cancel(Timer timer) {
        timers.remove(timer);
    }

    /** Returns the loop's shared read buffer, for bytes written on before the handler returns. Loop thread only. */
    public ByteBuffer readBuffer() {
        return readBuffer;
    }

    /**
     * Returns the loop's scratch array of {@link #IO_VECTOR} buffers for a scattering read or a
     * gathering write; the caller clears what it set before it returns. Loop thread only.
     */
    public ByteBuffer[] vector() {
        return vector;
    }

    /** Takes an empty direct buffer of {@link #CHUNK_BYTES} from the pool (or a new one) for bytes a link holds. Loop thread only. */
    public ByteBuffer takeChunk() {
        ByteBuffer c = pool.poll();
        if (c == null) {
            c = ByteBuffer.allocateDirect(CHUNK_BYTES);
        }
        c.clear();
        return c;
    }

    /** Returns a buffer of {@link #takeChunk()} to the pool. Loop thread only. */
    public void release(ByteBuffer chunk) {
        if (pool.size() < MAX_POOLED_CHUNKS) {
            pool.push(chunk);
        }
    }

    private void run() {
        while (true) {
            try {
                select();
                runTasks();
                runTimers();
            } catch (Throwable t) {
                LOG.log(Level.ERROR, "Loopback engine loop " + thread.getName() + " caught an unexpected error", t);
            }
        }
    }

    private void select() throws IOException {
        // Reset before looking at the queue: a task queued after this line wakes the selector (or
        // is seen below); resetting after select would lose a wake-up consumed by flushClosed().
        wakeupPending.set(false);
        if (!tasks.isEmpty()) {
            selector.selectNow(dispatch);
        } else if (timers.isEmpty()) {
            selector.select(dispatch);
        } else {
            long wait = timers.peek().deadline - System.nanoTime();
            if (wait > POLL_BEFORE_DEADLINE_NANOS) {
                selector.select(dispatch, wait / 1_000_000); // at least 1: 0 would mean no timeout
            } else if (selector.selectNow(dispatch) == 0 && wait > SPIN_NANOS && tasks.isEmpty()) {
                // Nap rather than poll: see the class comment. The last SPIN_NANOS are polled (a
                // system call each, so no Thread.onSpinWait()), since a nap may end that much late.
                LockSupport.parkNanos(Math.min(NAP_NANOS, wait - SPIN_NANOS));
            }
        }
    }

    private static void dispatch(SelectionKey key) {
        if (key.isValid()) {
            Handler handler = (Handler) key.attachment();
            try {
                handler.ready(key.readyOps());
            } catch (RuntimeException | Error e) {
                try {
                    handler.failed(e);
                } catch (RuntimeException | Error again) {
                    e.addSuppressed(again);
                    logUnexpected("handler", e);
                }
            }
        }
    }

    /** Logs a failure nobody could handle. */
    static void logUnexpected(String what, Throwable error) {
        LOG.log(Level.ERROR, "Loopback engine " + what + " failed on " + Thread.currentThread().getName(), error);
    }

    private void runTasks() {
        Runnable task;
        int budget = 4096;
        while (budget-- > 0 && (task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | Error t) {
                logUnexpected("task", t);
            }
        }
    }

    private void runTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().deadline - now <= 0) {
            Timer t = timers.poll();
            try {
                t.fire();
            } catch (RuntimeException | Error e) {
                try {
                    t.failed(e);
                } catch (RuntimeException | Error again) {
                    e.addSuppressed(again);
                    logUnexpected("timer", e);
                }
            }
        }
    }
}
