package dev.loopback;

import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.EventLoops;
import dev.loopback.internal.engine.Timer;
import dev.loopback.internal.random.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A schedule of nemesis operations on a {@link Cluster}: one {@linkplain Op operation} every
 * {@link Builder#every(Duration) period}, either {@linkplain Builder#ops(Op...) scripted} (the
 * given operations in order, repeated) or {@linkplain Builder#randomOps(Op...) random} (each step
 * drawn from the given ones). Every random choice — which operation, which node, which ring — comes
 * from a stream derived from the space's seed, so the same seed gives the same sequence of
 * operations, whatever the threads' timing. What the timing still decides is <em>when</em> each
 * step lands relative to the system under test.
 *
 * <p>Steps are timed by the engine's timer at fixed rate (step <i>k</i> is due at start + <i>k</i>
 * × period, so delays do not accumulate) and run one at a time on a thread of the schedule's own,
 * never on an engine thread. The schedule ends after {@link Builder#limit(int) its step count},
 * once {@link Builder#lasting(Duration) its time} is up, on {@link #stop()}, when the cluster or
 * its space closes, or when a step fails (the failure is the last {@link #steps() step}). It never
 * heals at the end: call {@link Cluster#heal()} (and {@link Cluster#restore(String)}) when the
 * test wants a healed cluster. Each step is journalled by the cluster as the operation it is, and
 * by the schedule in {@link #steps()} with the time it returned; the JUnit extension prints both
 * when a test fails.
 */
public final class Nemesis implements AutoCloseable {

    /**
     * One operation a {@link Nemesis} can run. Those that choose a node draw it from the schedule's
     * seeded stream.
     */
    public static final class Op {
        private final String name;
        private final int minNodes;
        private final BiConsumer<Cluster, SplittableRandom> action;

        private Op(String name, int minNodes, BiConsumer<Cluster, SplittableRandom> action) {
            this.name = name;
            this.minNodes = minNodes;
            this.action = action;
        }

        /**
         * {@link Cluster#isolate(String)} of a node drawn from the seed.
         *
         * @return the operation
         */
        public static Op isolateAny() {
            return new Op("isolateAny", 2, (c, r) -> c.isolate(pick(c.nodes(), r)));
        }

        /**
         * {@link Cluster#majoritiesRing()} with the ring drawn from the schedule's stream (needs 4 nodes).
         *
         * @return the operation
         */
        public static Op majoritiesRing() {
            return new Op("majoritiesRing", 4, Cluster::majoritiesRing);
        }

        /**
         * {@link Cluster#bridge()} with halves and bridge drawn from the schedule's stream (needs 3 nodes).
         *
         * @return the operation
         */
        public static Op bridge() {
            return new Op("bridge", 3, Cluster::bridge);
        }

        /**
         * {@link Cluster#randomHalves()} with the halves drawn from the schedule's stream.
         *
         * @return the operation
         */
        public static Op randomHalves() {
            return new Op("randomHalves", 2, Cluster::randomHalves);
        }

        /**
         * {@link Cluster#heal()}.
         *
         * @return the operation
         */
        public static Op heal() {
            return new Op("heal", 2, (c, r) -> c.heal());
        }

        /**
         * {@link Cluster#crash(String)} of a node drawn from the seed, after restoring the nodes
         * crashed before, so that at most one node is down at a time.
         *
         * @return the operation
         */
        public static Op crashAny() {
            return new Op("crashAny", 2, (c, r) -> {
                c.crashed().forEach(c::restore);
                c.crash(pick(c.nodes(), r));
            });
        }

        /**
         * {@link Cluster#restore(String)} of every crashed node.
         *
         * @return the operation
         */
        public static Op restoreAll() {
            return new Op("restoreAll", 2, (c, r) -> c.crashed().forEach(c::restore));
        }

        /**
         * {@link Cluster#isolate(String)} of {@code node}.
         *
         * @param node the node to isolate
         * @return the operation
         */
        public static Op isolate(String node) {
            Objects.requireNonNull(node, "node");
            return new Op("isolate " + node, 2, (c, r) -> c.isolate(node));
        }

        /**
         * {@link Cluster#partition(Collection[])} into {@code groups}.
         *
         * @param groups the groups, as {@link Cluster#partition(Collection[])} takes them
         * @return the operation
         */
        @SafeVarargs
        public static Op partition(Collection<String>... groups) {
            List<List<String>> copy = new ArrayList<>();
            for (Collection<String> group : groups) {
                copy.add(List.copyOf(group));
            }
            return new Op("partition " + copy, 2, (c, r) -> c.partitionInto(copy));
        }

        /**
         * Any scripted action on the cluster, named {@code name} in the schedule's description. It
         * should be a nemesis operation (which the cluster journals); it runs on the schedule's thread.
         *
         * @param name the step's name in {@link Nemesis#steps()} and in failure reports
         * @param action what the step does to the cluster
         * @return the operation
         */
        public static Op of(String name, Consumer<Cluster> action) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(action, "action");
            return new Op(name, 2, (c, r) -> action.accept(c));
        }

        private static String pick(List<String> nodes, SplittableRandom r) {
            return nodes.get(r.nextInt(nodes.size()));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Configures a schedule: {@code cluster.nemesis().every(…).randomOps(…).limit(…).start()}. */
    public static final class Builder {
        private final Cluster cluster;
        private Duration every = Duration.ofSeconds(1);
        private List<Op> ops = List.of();
        private boolean random;
        private int limit = Integer.MAX_VALUE;
        private @Nullable Duration lasting;

        Builder(Cluster cluster) {
            this.cluster = cluster;
        }

        /**
         * Sets the period between steps (default 1 s); the first step runs one period after {@link #start()}.
         *
         * @param period the time between two steps, positive
         * @return this builder
         */
        public Builder every(Duration period) {
            Objects.requireNonNull(period, "period");
            if (period.isNegative() || period.isZero() || period.compareTo(Fault.MAX_DURATION) > 0) {
                throw new IllegalArgumentException("nemesis period " + period + " must be positive and at most "
                        + Fault.MAX_DURATION);
            }
            this.every = period;
            return this;
        }

        /**
         * Runs {@code ops} in the order given, starting again after the last.
         *
         * @param ops the operations, at least one
         * @return this builder
         */
        public Builder ops(Op... ops) {
            return ops(false, ops);
        }

        /**
         * Draws each step from {@code ops}, uniformly, from the schedule's seeded stream.
         *
         * @param ops the operations to draw from, at least one
         * @return this builder
         */
        public Builder randomOps(Op... ops) {
            return ops(true, ops);
        }

        private Builder ops(boolean random, Op... ops) {
            if (ops.length == 0) {
                throw new IllegalArgumentException("a nemesis needs at least one operation");
            }
            for (Op op : ops) {
                Objects.requireNonNull(op, "op");
                if (cluster.nodes().size() < op.minNodes) {
                    throw new IllegalArgumentException("nemesis operation " + op + " needs at least " + op.minNodes
                            + " nodes; the cluster has " + cluster.nodes());
                }
            }
            this.ops = List.of(ops);
            this.random = random;
            return this;
        }

        /**
         * Ends the schedule after {@code steps} steps (default: no limit).
         *
         * @param steps the number of steps, positive
         * @return this builder
         */
        public Builder limit(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("nemesis step limit " + steps + " must be at least 1");
            }
            this.limit = steps;
            return this;
        }

        /**
         * Ends the schedule {@code time} after {@link #start()}: no step starts later (default: no limit).
         *
         * @param time how long the schedule may run, positive
         * @return this builder
         */
        public Builder lasting(Duration time) {
            Objects.requireNonNull(time, "time");
            if (time.isNegative() || time.isZero()) {
                throw new IllegalArgumentException("nemesis duration " + time + " must be positive");
            }
            this.lasting = time;
            return this;
        }

        /**
         * Starts the schedule.
         *
         * @return the running schedule; {@link Nemesis#stop()} or closing the cluster ends it
         * @throws IllegalStateException if no operation was given, or the cluster is closed
         */
        public Nemesis start() {
            if (ops.isEmpty()) {
                throw new IllegalStateException("a nemesis needs operations: call ops(...) or randomOps(...) first");
            }
            Nemesis nemesis = new Nemesis(this);
            cluster.started(nemesis);
            nemesis.schedule();
            return nemesis;
        }
    }

    private final Cluster cluster;
    private final List<Op> ops;
    private final boolean random;
    private final long periodNanos;
    private final int limit;
    private final long startNanos;
    private final long endNanos;
    private final String description;
    private final SplittableRandom draw;
    private final EventLoop loop = EventLoops.next();
    private final ExecutorService runner;
    private final Timer timer = Timer.of(this::due);
    private final List<Cluster.Step> steps = new ArrayList<>();
    private volatile @Nullable Thread runnerThread;
    private boolean stopped;

    private Nemesis(Builder b) {
        this.cluster = b.cluster;
        this.ops = b.ops;
        this.random = b.random;
        this.periodNanos = b.every.toNanos();
        this.limit = b.limit;
        this.startNanos = System.nanoTime();
        this.endNanos = b.lasting == null ? Long.MAX_VALUE : startNanos + b.lasting.toNanos();
        this.draw = Seeds.random(cluster.seedFor("nemesis"));
        this.description = "nemesis every " + b.every.toMillis() + " ms, " + (random ? "random" : "scripted")
                + " " + ops.stream().map(Op::toString).collect(Collectors.joining(", ", "[", "]"))
                + (limit == Integer.MAX_VALUE ? "" : ", limit " + limit)
                + (b.lasting == null ? "" : ", lasting " + b.lasting.toMillis() + " ms");
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "loopback-nemesis");
            thread.setDaemon(true);
            runnerThread = thread;
            return thread;
        });
    }

    private void schedule() {
        long due = startNanos + (steps().size() + 1) * periodNanos;
        loop.execute(() -> loop.schedule(timer, due));
    }

    private void due() { // engine thread: hand the step over, never run it here
        try {
            runner.execute(this::step);
        } catch (RejectedExecutionException stoppedMeanwhile) {
            // stop() shut the runner down between the timer's arming and its firing
        }
    }

    private void step() {
        Op op;
        synchronized (this) {
            if (stopped) {
                return;
            }
            op = random ? ops.get(draw.nextInt(ops.size())) : ops.get(steps.size() % ops.size());
        }
        String done;
        boolean failed = false;
        try {
            synchronized (cluster) {
                op.action.accept(cluster, draw);
                Cluster.Step last = cluster.lastStep();
                done = last == null ? op.toString() : last.operation();
            }
        } catch (RuntimeException e) {
            done = op + " failed: " + e.getMessage();
            failed = true;
        }
        synchronized (this) {
            steps.add(new Cluster.Step(Instant.now(), done));
            if (failed || steps.size() >= limit || System.nanoTime() + periodNanos > endNanos) {
                stopped = true;
                runner.shutdown();
                return;
            }
        }
        schedule();
    }

    /**
     * Returns the steps that ran, oldest first, each with the time it returned (a failed one says why).
     *
     * @return the steps so far; a copy
     */
    public synchronized List<Cluster.Step> steps() {
        return List.copyOf(steps);
    }

    /**
     * Returns true once the schedule has ended (limit, time, stop, close or a failed step).
     *
     * @return true once no further step will run
     */
    public synchronized boolean isDone() {
        return stopped;
    }

    /**
     * Ends the schedule: no step starts after this returns, and a step in progress has finished
     * (unless called by a step itself). Idempotent.
     */
    public void stop() {
        synchronized (this) {
            stopped = true;
        }
        runner.shutdown();
        loop.execute(() -> loop.cancel(timer));
        if (Thread.currentThread() != runnerThread) { // a step that stops its own schedule cannot wait for itself
            try {
                runner.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Describes the schedule: period, order, operations and bounds. */
    @Override
    public String toString() {
        return description;
    }
}
