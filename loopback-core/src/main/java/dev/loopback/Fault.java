package dev.loopback;

import java.time.Duration;
import java.util.Objects;

/**
 * An immutable description of one network impairment, injected into a link with
 * {@code link.inject(fault)} and removed through the returned {@link FaultHandle}.
 *
 * <p>Build a fault with a factory and refine it with the {@code with}-style methods, each of which
 * returns a new fault:
 *
 * <pre>{@code
 * link.inject(Fault.latency(Duration.ofMillis(50)).jitter(Duration.ofMillis(10)).toClient());
 * link.inject(Fault.reset().probability(0.2).afterBytes(1_000));
 * }</pre>
 *
 * <p><b>Direction.</b> A fault acts on both directions unless narrowed with {@link #toServer()} or
 * {@link #toClient()}; latency then applies to each direction separately.
 *
 * <p><b>Probability.</b> Faults that act on a whole connection (reset, blackhole, freeze, cut, slow
 * close, slow open, refuse) draw once per connection; faults that act on data (latency, loss,
 * slice, and every datagram fault) draw once per chunk or datagram. A fault with probability 0 has
 * no effect at all. Every draw comes from the space's seed, split per link, fault and connection.
 *
 * <p><b>Triggers.</b> {@link #afterBytes(long)} and {@link #after(Duration)} delay the fault until a
 * connection (or UDP client) has carried that many bytes in the fault's direction, or is that old;
 * {@link #onConnection(int)} limits it to the n-th connection (or UDP client) the link accepts
 * after the fault is injected.
 *
 * <p>Invalid arguments throw {@link IllegalArgumentException} naming the value and the rule;
 * refining a fault with an option of another kind (jitter on a reset) throws
 * {@link IllegalStateException}.
 */
public final class Fault {

    /** Default stall of a TCP {@link #loss(double)}: Linux's minimum retransmission timeout. */
    public static final Duration DEFAULT_LOSS_STALL = Duration.ofMillis(200);

    private final FaultKind kind;
    private final Direction direction;
    private final double probability;
    private final long afterBytes;
    private final Duration after;
    private final int onConnection;
    private final Duration duration;
    private final Duration jitter;
    private final Distribution distribution;
    private final boolean preserveOrder;
    private final long bytes;
    private final double variation;
    private final long bytesPerSecond;
    private final boolean shared;
    private final double[] chain;
    private final int gap;

    private Fault(Builder b) {
        kind = b.kind;
        direction = b.direction;
        probability = b.probability;
        afterBytes = b.afterBytes;
        after = b.after;
        onConnection = b.onConnection;
        duration = b.duration;
        jitter = b.jitter;
        distribution = b.distribution;
        preserveOrder = b.preserveOrder;
        bytes = b.bytes;
        variation = b.variation;
        bytesPerSecond = b.bytesPerSecond;
        shared = b.shared;
        chain = b.chain;
        gap = b.gap;
    }

    // ---------------------------------------------------------------- factories

    /**
     * Delays every chunk (TCP) or datagram (UDP) by {@code delay} in each covered direction. A TCP
     * chunk is stamped when the link reads it and released at stamp + delay, never earlier; chunks
     * stay in order and delays do not accumulate. Refine with {@link #jitter(Duration)},
     * {@link #distribution(Distribution)} and, for UDP, {@link #preserveOrder()}.
     *
     * @param delay zero or positive
     */
    public static Fault latency(Duration delay) {
        return of(FaultKind.LATENCY).duration("delay", delay, true).build();
    }

    /**
     * Limits throughput to {@code bytesPerSecond} in each covered direction with a token bucket,
     * per connection unless {@link #shared()}. A link that may not pass data at all is a
     * {@link #blackhole()} or {@link #freeze()}, never a bandwidth of 0.
     *
     * @param bytesPerSecond positive
     */
    public static Fault bandwidth(long bytesPerSecond) {
        return of(FaultKind.BANDWIDTH).rate(bytesPerSecond).build();
    }

    /**
     * Limits a UDP link to {@code bytesPerSecond}; datagrams beyond the rate wait in a bounded queue
     * (default 64 KiB, see {@link #queue(long)}) and are dropped, and counted, when it is full.
     *
     * @param bytesPerSecond positive
     */
    public static Fault rate(long bytesPerSecond) {
        Builder b = of(FaultKind.RATE).rate(bytesPerSecond);
        b.bytes = 64 * 1024;
        return b.build();
    }

    /**
     * Loses each chunk or datagram with probability {@code p} (Bernoulli). On UDP the datagram is
     * dropped. TCP cannot lose bytes at this layer: a lost chunk stalls for
     * {@link #DEFAULT_LOSS_STALL} (see {@link #stall(Duration)}) as a retransmission timeout
     * would, and arrives intact.
     *
     * @param p the loss probability in {@code [0, 1]}
     */
    public static Fault loss(double p) {
        Builder b = of(FaultKind.LOSS);
        b.chain = new double[] {checkProbability("loss probability", p)};
        b.duration = DEFAULT_LOSS_STALL;
        return b.build();
    }

    /**
     * Burst loss after netem's {@code loss gemodel p r 1-h 1-k}: a two-state Markov chain that moves
     * good → bad with probability {@code p} and bad → good with {@code r}; a datagram is lost with
     * probability {@code oneMinusH} in the bad state and {@code oneMinusK} in the good state. Bursts
     * last {@code 1/r} datagrams on average.
     *
     * @throws IllegalArgumentException if a parameter is outside {@code [0, 1]}, or if {@code p > 0}
     *     and {@code r == 0} (the chain would never leave the bad state)
     */
    public static Fault gilbertElliott(double p, double r, double oneMinusH, double oneMinusK) {
        checkProbability("p (good to bad)", p);
        checkProbability("r (bad to good)", r);
        checkProbability("1-h (loss in bad state)", oneMinusH);
        checkProbability("1-k (loss in good state)", oneMinusK);
        if (p > 0 && r == 0) {
            throw new IllegalArgumentException("r (bad to good) is 0 while p (good to bad) is " + p
                    + ": the chain would enter the bad state and never leave; r must be > 0");
        }
        Builder b = of(FaultKind.LOSS);
        b.chain = new double[] {p, r, oneMinusH, oneMinusK};
        b.duration = DEFAULT_LOSS_STALL;
        return b.build();
    }

    /** Simple Gilbert burst loss: {@link #gilbertElliott} with every datagram lost in the bad state and none in the good. */
    public static Fault gilbert(double p, double r) {
        return gilbertElliott(p, r, 1, 0);
    }

    /**
     * Aborts the connection: the link closes both of its sockets with {@code SO_LINGER 0}, so the
     * client's next read or write fails with {@code SocketException: Connection reset} and the
     * server sees the same. Acts as soon as it is injected (or its trigger fires) on live
     * connections and at once on new ones (on TCP, before the upstream is dialled). Narrowed with
     * {@link #toClient()} only the client is reset (the server sees a normal close), with
     * {@link #toServer()} only the server.
     */
    public static Fault reset() {
        return of(FaultKind.RESET).build();
    }

    /**
     * Refuses new connections: clients see {@code ConnectException: Connection refused}. Live
     * connections are untouched. A TCP link closes its listening socket while the fault is active
     * and listens on the same port again when it is removed, so it accepts only probability 0 or 1
     * and no trigger.
     */
    public static Fault refuse() {
        return of(FaultKind.REFUSE).build();
    }

    /** Discards data in each covered direction; connections are accepted and stay open, so reads time out. */
    public static Fault blackhole() {
        return of(FaultKind.BLACKHOLE).build();
    }

    /**
     * Holds data in each covered direction; connections stay open. When the fault is removed,
     * everything held is delivered in order. Held data counts against the link's buffer bound, so
     * a sender eventually blocks.
     */
    public static Fault freeze() {
        return of(FaultKind.FREEZE).build();
    }

    /** Closes the connection with FIN once {@code bytes} have passed in the covered direction: the peer reads exactly that many bytes, then EOF. */
    public static Fault cutAfter(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cutAfter bytes " + bytes + " is negative; must be >= 0");
        }
        Builder b = of(FaultKind.CUT);
        b.bytes = bytes;
        return b.build();
    }

    /** Closes the connection with FIN once it is {@code age} old. */
    public static Fault cutAfter(Duration age) {
        Builder b = of(FaultKind.CUT).duration("cutAfter", age, true);
        b.bytes = -1;
        return b.build();
    }

    /** Delays forwarding a close (FIN) by {@code delay}. */
    public static Fault slowClose(Duration delay) {
        return of(FaultKind.SLOW_CLOSE).duration("slowClose delay", delay, false).build();
    }

    /**
     * Cuts data into segments of about {@code averageBytes} (± {@code variation} bytes, uniform)
     * sent {@code delay} apart, as Toxiproxy's slicer; exercises readers that assume whole messages.
     *
     * @param averageBytes positive
     * @param variation zero or positive, smaller than {@code averageBytes}
     * @param delay zero or positive pause between segments
     */
    public static Fault slice(long averageBytes, long variation, Duration delay) {
        if (averageBytes <= 0) {
            throw new IllegalArgumentException("slice averageBytes " + averageBytes + " must be > 0");
        }
        if (variation < 0 || variation >= averageBytes) {
            throw new IllegalArgumentException("slice variation " + variation + " must be in [0, averageBytes="
                    + averageBytes + ")");
        }
        Builder b = of(FaultKind.SLICE).duration("slice delay", delay, true);
        b.bytes = averageBytes;
        b.variation = variation;
        return b.build();
    }

    /** Accepts the client's connection at once but dials the upstream only after {@code delay}. */
    public static Fault slowOpen(Duration delay) {
        return of(FaultKind.SLOW_OPEN).duration("slowOpen delay", delay, false).build();
    }

    /** Sends each datagram twice with probability {@code p}. */
    public static Fault duplicate(double p) {
        Builder b = of(FaultKind.DUPLICATE);
        b.probability = checkProbability("duplicate probability", p);
        return b.build();
    }

    /**
     * Reorders as netem's {@code reorder p gap}: every {@code gap}-th datagram is a candidate and is
     * sent at once with probability {@code p}, overtaking the datagrams held back by a
     * {@link #latency(Duration)} on the same link (without latency, the overtaken datagram is the
     * one before it).
     *
     * @param p in {@code [0, 1]}
     * @param gap at least 1
     */
    public static Fault reorder(double p, int gap) {
        if (gap < 1) {
            throw new IllegalArgumentException("reorder gap " + gap + " must be >= 1");
        }
        Builder b = of(FaultKind.REORDER);
        b.probability = checkProbability("reorder probability", p);
        b.gap = gap;
        return b.build();
    }

    /** Flips one random bit of a datagram with probability {@code p}. */
    public static Fault corrupt(double p) {
        Builder b = of(FaultKind.CORRUPT);
        b.probability = checkProbability("corrupt probability", p);
        return b.build();
    }

    /** Cuts datagrams longer than {@code maxBytes} to their first {@code maxBytes} bytes. */
    public static Fault truncate(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("truncate maxBytes " + maxBytes + " must be >= 0");
        }
        Builder b = of(FaultKind.TRUNCATE);
        b.bytes = maxBytes;
        return b.build();
    }

    // ---------------------------------------------------------------- refinements

    /** Returns this fault acting on client → server traffic only. */
    public Fault toServer() {
        return direction(Direction.TO_SERVER);
    }

    /** Returns this fault acting on server → client traffic only. */
    public Fault toClient() {
        return direction(Direction.TO_CLIENT);
    }

    /** Returns this fault acting in {@code direction}. */
    public Fault direction(Direction direction) {
        Builder b = copy();
        b.direction = Objects.requireNonNull(direction, "direction");
        return b.build();
    }

    /**
     * Returns this fault acting with probability {@code p} per connection or per chunk/datagram
     * (see the class description). For {@link #duplicate}, {@link #reorder}, {@link #corrupt} and
     * {@link #loss} this replaces the factory's probability.
     */
    public Fault probability(double p) {
        Builder b = copy();
        checkProbability("probability", p);
        if (kind == FaultKind.LOSS && chain.length == 1) {
            b.chain = new double[] {p};
        } else {
            b.probability = p;
        }
        return b.build();
    }

    /** Returns this fault acting only once a connection has carried {@code bytes} in the fault's direction. */
    public Fault afterBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("afterBytes " + bytes + " is negative; must be >= 0");
        }
        Builder b = copy();
        b.afterBytes = bytes;
        return b.build();
    }

    /** Returns this fault acting only once a connection (or UDP client mapping) is {@code age} old. */
    public Fault after(Duration age) {
        return copy().after("after", age).build();
    }

    /** Returns this fault acting only on the {@code n}-th connection (1-based) the link accepts after injection. */
    public Fault onConnection(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("onConnection " + n + " must be >= 1 (connections count from 1)");
        }
        Builder b = copy();
        b.onConnection = n;
        return b.build();
    }

    /** Latency only: spreads each delay by {@code jitter} according to the {@link #distribution()} (default uniform). */
    public Fault jitter(Duration jitter) {
        requireKind("jitter", FaultKind.LATENCY);
        return copy().jitterValue(jitter).build();
    }

    /** Latency only: the distribution of jittered delays. */
    public Fault distribution(Distribution distribution) {
        requireKind("distribution", FaultKind.LATENCY);
        Builder b = copy();
        b.distribution = Objects.requireNonNull(distribution, "distribution");
        if (distribution == Distribution.LOGNORMAL && duration.isZero() && !jitter.isZero()) {
            throw new IllegalArgumentException("lognormal distribution needs a positive mean delay, got 0");
        }
        return b.build();
    }

    /** Latency on UDP only: jitter never reorders datagrams (a datagram waits for those sent before it). */
    public Fault preserveOrder() {
        requireKind("preserveOrder", FaultKind.LATENCY);
        Builder b = copy();
        b.preserveOrder = true;
        return b.build();
    }

    /** Bandwidth only: one token bucket shared by all connections of the link instead of one per connection. */
    public Fault shared() {
        requireKind("shared", FaultKind.BANDWIDTH);
        Builder b = copy();
        b.shared = true;
        return b.build();
    }

    /** TCP loss only: how long a lost chunk stalls before it is delivered (default {@link #DEFAULT_LOSS_STALL}). */
    public Fault stall(Duration stall) {
        requireKind("stall", FaultKind.LOSS);
        return copy().duration("stall", stall, false).build();
    }

    /** Rate only: the queue bound in bytes; datagrams that do not fit are dropped. */
    public Fault queue(long bytes) {
        requireKind("queue", FaultKind.RATE);
        if (bytes <= 0) {
            throw new IllegalArgumentException("rate queue " + bytes + " bytes must be > 0");
        }
        Builder b = copy();
        b.bytes = bytes;
        return b.build();
    }

    // ---------------------------------------------------------------- accessors

    /** Returns the kind of fault. */
    public FaultKind kind() {
        return kind;
    }

    /** Returns the direction the fault acts in; {@link Direction#BOTH} unless narrowed. */
    public Direction direction() {
        return direction;
    }

    /**
     * Returns the probability that the fault acts on a connection or a chunk/datagram; 1 unless
     * set. For Bernoulli {@link #loss(double)} this is the loss probability.
     */
    public double probability() {
        return kind == FaultKind.LOSS && chain.length == 1 ? chain[0] : probability;
    }

    /** Returns the byte trigger: the fault acts once this many bytes have passed; 0 = at once. */
    public long afterBytes() {
        return afterBytes;
    }

    /** Returns the age trigger; {@link Duration#ZERO} = at once. */
    public Duration after() {
        return after;
    }

    /** Returns the connection the fault is limited to (1-based), or 0 for every connection. */
    public int onConnection() {
        return onConnection;
    }

    /**
     * Returns the fault's main duration: the delay of latency, slow close, slow open and slice,
     * the age of a time cut, the stall of a TCP loss; {@link Duration#ZERO} for other kinds.
     */
    public Duration duration() {
        return duration;
    }

    /** Returns the jitter of a latency fault; {@link Duration#ZERO} otherwise. */
    public Duration jitter() {
        return jitter;
    }

    /** Returns the distribution of a latency fault's jitter. */
    public Distribution distribution() {
        return distribution;
    }

    /** Returns true if a UDP latency fault must not reorder datagrams. */
    public boolean preservesOrder() {
        return preserveOrder;
    }

    /**
     * Returns the fault's byte size: the cut point of a byte cut ({@code -1} for a time cut), the
     * average segment of a slice, the limit of a truncate, the queue bound of a rate; 0 otherwise.
     */
    public long bytes() {
        return bytes;
    }

    /** Returns the segment size variation of a slice; 0 otherwise. */
    public long variation() {
        return (long) variation;
    }

    /** Returns the bytes per second of a bandwidth or rate fault; 0 otherwise. */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Returns true if a bandwidth fault shares one bucket among all connections. */
    public boolean isShared() {
        return shared;
    }

    /**
     * Returns the loss model parameters: {@code [p]} for Bernoulli loss, or
     * {@code [p, r, 1-h, 1-k]} for Gilbert-Elliott; empty for other kinds.
     */
    public double[] lossModel() {
        return chain.clone();
    }

    /** Returns the reorder gap; 0 for other kinds. */
    public int gap() {
        return gap;
    }

    // ---------------------------------------------------------------- value semantics

    @Override
    public boolean equals(Object o) {
        return o instanceof Fault f && toString().equals(f.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** Returns a readable form such as {@code latency(50ms jitter=10ms NORMAL) TO_CLIENT p=0.5}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(kind.name().toLowerCase(java.util.Locale.ROOT)).append('(');
        StringBuilder args = new StringBuilder();
        if (!duration.isZero() || kind == FaultKind.LATENCY) {
            args.append(' ').append(text(duration));
        }
        if (!jitter.isZero()) {
            args.append(" jitter=").append(text(jitter)).append(' ').append(distribution);
        }
        if (preserveOrder) {
            args.append(" preserveOrder");
        }
        if (bytes != 0) {
            args.append(" bytes=").append(bytes);
        }
        if (variation != 0) {
            args.append(" variation=").append((long) variation);
        }
        if (bytesPerSecond != 0) {
            args.append(' ').append(bytesPerSecond).append("B/s");
        }
        if (shared) {
            args.append(" shared");
        }
        if (chain.length > 0) {
            args.append(" model=").append(java.util.Arrays.toString(chain));
        }
        if (gap != 0) {
            args.append(" gap=").append(gap);
        }
        s.append(args.toString().trim()).append(')');
        if (direction != Direction.BOTH) {
            s.append(' ').append(direction);
        }
        if (probability != 1) {
            s.append(" p=").append(probability);
        }
        if (afterBytes != 0) {
            s.append(" afterBytes=").append(afterBytes);
        }
        if (!after.isZero()) {
            s.append(" after=").append(text(after));
        }
        if (onConnection != 0) {
            s.append(" onConnection=").append(onConnection);
        }
        return s.toString();
    }

    private static String text(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + "ms";
        }
        return nanos % 1000 == 0 ? nanos / 1000 + "us" : nanos + "ns";
    }

    // ---------------------------------------------------------------- internals

    private void requireKind(String option, FaultKind required) {
        if (kind != required) {
            throw new IllegalStateException(option + "(...) applies to " + required.name().toLowerCase(java.util.Locale.ROOT)
                    + " faults, not to " + kind.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static double checkProbability(String what, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " " + p + " is outside [0, 1]");
        }
        return p;
    }

    private static Builder of(FaultKind kind) {
        Builder b = new Builder();
        b.kind = kind;
        return b;
    }

    private Builder copy() {
        Builder b = new Builder();
        b.kind = kind;
        b.direction = direction;
        b.probability = probability;
        b.afterBytes = afterBytes;
        b.after = after;
        b.onConnection = onConnection;
        b.duration = duration;
        b.jitter = jitter;
        b.distribution = distribution;
        b.preserveOrder = preserveOrder;
        b.bytes = bytes;
        b.variation = variation;
        b.bytesPerSecond = bytesPerSecond;
        b.shared = shared;
        b.chain = chain;
        b.gap = gap;
        return b;
    }

    private static final class Builder {
        FaultKind kind;
        Direction direction = Direction.BOTH;
        double probability = 1;
        long afterBytes;
        Duration after = Duration.ZERO;
        int onConnection;
        Duration duration = Duration.ZERO;
        Duration jitter = Duration.ZERO;
        Distribution distribution = Distribution.UNIFORM;
        boolean preserveOrder;
        long bytes;
        double variation;
        long bytesPerSecond;
        boolean shared;
        double[] chain = new double[0];
        int gap;

        Builder duration(String what, Duration d, boolean zeroAllowed) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || (!zeroAllowed && d.isZero())) {
                throw new IllegalArgumentException(what + " " + d + " must be " + (zeroAllowed ? ">= 0" : "> 0"));
            }
            duration = d;
            return this;
        }

        Builder after(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " " + d + " is negative; must be >= 0");
            }
            after = d;
            return this;
        }

        Builder jitterValue(Duration d) {
            Objects.requireNonNull(d, "jitter");
            if (d.isNegative()) {
                throw new IllegalArgumentException("jitter " + d + " is negative; must be >= 0");
            }
            if (distribution == Distribution.LOGNORMAL && duration.isZero() && !d.isZero()) {
                throw new IllegalArgumentException("lognormal distribution needs a positive mean delay, got 0");
            }
            jitter = d;
            return this;
        }

        Builder rate(long bytesPerSecond) {
            if (bytesPerSecond <= 0) {
                throw new IllegalArgumentException(kind.name().toLowerCase(java.util.Locale.ROOT) + " " + bytesPerSecond
                        + " bytes/s must be > 0 (to stop traffic use blackhole() or freeze())");
            }
            this.bytesPerSecond = bytesPerSecond;
            return this;
        }

        Fault build() {
            return new Fault(this);
        }
    }
}
