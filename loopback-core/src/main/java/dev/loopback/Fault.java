package dev.loopback;

import java.time.Duration;

/**
 * An immutable description of one network impairment, injected into a link with
 * {@code link.inject(fault)} and removed through the returned {@link FaultHandle}.
 *
 * <p>Every kind of fault is a small record with only its own options — {@link Latency},
 * {@link Reset}, {@link Loss}, … — made by the factories of this interface and refined by methods
 * that return a new value of the same type:
 *
 * <pre>{@code
 * link.inject(Fault.latency(Duration.ofMillis(50)).jitter(Duration.ofMillis(10)).toClient());
 * link.inject(Fault.reset().probability(0.2).afterBytes(1_000));
 * link.inject(Fault.bandwidth(1 << 20).toClient().shared());
 * }</pre>
 *
 * <p><b>Which link takes which fault.</b> A fault is a {@link TcpFault}, a {@link UdpFault} or
 * both, and {@code TcpLink.inject} takes only the former, {@code UdpLink.inject} only the latter, so
 * a fault a protocol cannot express does not compile: {@code udpLink.inject(Fault.reset())} and
 * {@code udpLink.inject(Fault.loss(0.1).stall(d))} are compile errors. Latency, loss, blackhole and
 * freeze apply to both; {@link Loss#stall(Duration)} makes a TCP-only {@link LossStall}; Gilbert-Elliott
 * loss, rate, duplicate, reorder, corrupt and truncate are UDP-only.
 *
 * <p><b>Direction, probability and triggers</b> are one value shared by every kind, its
 * {@link FaultScope}: a fault acts on both directions unless narrowed with
 * {@link ScopedFault#toServer()} or {@link ScopedFault#toClient()}; with a probability below 1 it
 * acts on some connections (faults that act on a whole connection draw once per connection) or
 * some pieces of data (latency and loss draw per segment of a TCP stream or per datagram, slice per
 * cut); {@link ScopedFault#afterBytes(long)}, {@link ScopedFault#after(Duration)} and
 * {@link ScopedFault#onConnection(int)} delay or restrict it. A fault with probability 0 has no
 * effect at all. Every draw comes from the space's seed, split per link, fault, connection (or UDP
 * client mapping) and direction.
 *
 * <p><b>Validation.</b> Every value is checked where it is made: a bad argument throws
 * {@link IllegalArgumentException} naming the value and the rule, so a fault that exists is one a
 * link can apply. Durations must not exceed {@link #MAX_DURATION}, so that no time computed from
 * them can overflow. Values are equal when their kind and options are; {@code toString()} reads
 * like the call that made the value ({@code latency(50ms).jitter(10ms).toClient()}).
 */
public sealed interface Fault permits TcpFault, UdpFault, ScopedFault {

    /**
     * The longest duration any fault option accepts: 365 days. Longer ones are refused where they
     * are given, so that deadlines computed from them stay far from the limits of nanosecond
     * arithmetic. (A fault meant to last "forever" is one that is never removed: {@link #freeze()}
     * holds data until then, {@link #blackhole()} drops it.)
     */
    Duration MAX_DURATION = Duration.ofDays(365);

    /** Stall of a TCP {@link #loss(double)} unless {@link Loss#stall(Duration)} says otherwise: Linux's minimum retransmission timeout. */
    Duration DEFAULT_LOSS_STALL = Duration.ofMillis(200);

    /**
     * Returns the kind of fault: the key of link statistics and assertions.
     *
     * @return the kind of this fault, never null
     */
    FaultKind kind();

    /**
     * Returns the direction, probability and triggers of this fault.
     *
     * @return the scope: direction, probability and triggers, never null
     */
    FaultScope scope();

    /**
     * Returns the direction the fault acts in; {@link Direction#BOTH} unless narrowed.
     *
     * @return the direction the fault acts in
     */
    default Direction direction() {
        return scope().direction();
    }

    /**
     * Returns the probability that the fault acts on a connection, segment, cut or datagram; 1 unless set.
     *
     * @return the probability, in {@code [0, 1]}
     */
    default double probability() {
        return scope().probability();
    }

    /**
     * Returns the byte trigger: the fault acts once this many bytes have passed; 0 = at once.
     *
     * @return the number of bytes after which the fault acts, zero or positive
     */
    default long afterBytes() {
        return scope().afterBytes();
    }

    /**
     * Returns the age trigger; {@link Duration#ZERO} = at once.
     *
     * @return the age after which the fault acts, zero or positive
     */
    default Duration after() {
        return scope().after();
    }

    /**
     * Returns the connection the fault is limited to (1-based), or 0 for every connection.
     *
     * @return the 1-based connection number, or 0 for every connection
     */
    default int onConnection() {
        return scope().onConnection();
    }

    // ---------------------------------------------------------------- factories

    /**
     * Delays data by {@code delay} in each covered direction (TCP, UDP). See {@link Latency}.
     *
     * @param delay zero or positive, at most {@link #MAX_DURATION}
     * @return a latency fault of {@code delay}, without jitter, in both directions
     */
    static Latency latency(Duration delay) {
        return new Latency(delay, Duration.ZERO, Distribution.UNIFORM, false, FaultScope.DEFAULT);
    }

    /**
     * Limits a TCP connection's throughput with a token bucket (TCP). See {@link Bandwidth}.
     *
     * @param bytesPerSecond positive
     * @return a bandwidth fault of {@code bytesPerSecond}, one bucket per connection, in both directions
     */
    static Bandwidth bandwidth(long bytesPerSecond) {
        return new Bandwidth(bytesPerSecond, false, FaultScope.DEFAULT);
    }

    /**
     * Limits a UDP link's datagram rate with a bounded drop-tail queue (UDP). See {@link Rate}.
     *
     * @param bytesPerSecond positive
     * @return a rate fault of {@code bytesPerSecond} with the default queue, in both directions
     */
    static Rate rate(long bytesPerSecond) {
        return new Rate(bytesPerSecond, Rate.DEFAULT_QUEUE_BYTES, FaultScope.DEFAULT);
    }

    /**
     * Loses data with probability {@code p} (TCP, UDP): a UDP datagram is dropped; a TCP segment
     * stalls for {@link #DEFAULT_LOSS_STALL} and arrives intact. See {@link Loss}.
     *
     * @param p in {@code [0, 1]}
     * @return a loss fault with probability {@code p}, in both directions
     */
    static Loss loss(double p) {
        return new Loss(FaultScope.DEFAULT.withProbability(Checks.probability("loss probability", p)));
    }

    /**
     * Burst loss after netem's {@code loss gemodel p r 1-h 1-k} (UDP). See {@link GilbertElliott}.
     *
     * @param p the probability of moving from the good to the bad state, per datagram
     * @param r the probability of moving from the bad back to the good state, per datagram
     * @param oneMinusH the probability that a datagram is lost in the bad state
     * @param oneMinusK the probability that a datagram is lost in the good state
     * @return a Gilbert-Elliott loss fault starting in the good state, in both directions
     * @throws IllegalArgumentException if a parameter is outside {@code [0, 1]}, or if {@code p > 0}
     *     and {@code r == 0} (the chain would never leave the bad state)
     */
    static GilbertElliott gilbertElliott(double p, double r, double oneMinusH, double oneMinusK) {
        return new GilbertElliott(p, r, oneMinusH, oneMinusK, FaultScope.DEFAULT);
    }

    /**
     * Simple Gilbert burst loss (UDP): {@link #gilbertElliott} with every datagram lost in the bad state and none in the good.
     *
     * @param p the probability of moving from the good to the bad state, per datagram, in {@code [0, 1]}
     * @param r the probability of moving from the bad back to the good state, per datagram, in {@code [0, 1]}
     * @return {@code gilbertElliott(p, r, 1, 0)}
     */
    static GilbertElliott gilbert(double p, double r) {
        return gilbertElliott(p, r, 1, 0);
    }

    /**
     * Aborts connections with RST (TCP). See {@link Reset}.
     *
     * @return a reset fault acting on every connection
     */
    static Reset reset() {
        return new Reset(FaultScope.DEFAULT);
    }

    /**
     * Refuses new connections (TCP). See {@link Refuse}.
     *
     * @return a refuse fault acting on every new connection
     */
    static Refuse refuse() {
        return new Refuse(FaultScope.DEFAULT);
    }

    /**
     * Discards data in each covered direction while connections stay open (TCP, UDP). See {@link Blackhole}.
     *
     * @return a blackhole fault, in both directions
     */
    static Blackhole blackhole() {
        return new Blackhole(FaultScope.DEFAULT);
    }

    /**
     * Holds data in each covered direction until the fault is removed (TCP, UDP). See {@link Freeze}.
     *
     * @return a freeze fault, in both directions
     */
    static Freeze freeze() {
        return new Freeze(FaultScope.DEFAULT);
    }

    /**
     * Closes a connection with FIN once {@code bytes} have passed in the covered direction (TCP).
     * See {@link CutAfterBytes}.
     *
     * @param bytes zero or positive
     * @return a fault that closes each connection after {@code bytes}, in both directions
     */
    static CutAfterBytes cutAfter(long bytes) {
        return new CutAfterBytes(bytes, FaultScope.DEFAULT);
    }

    /**
     * Closes a connection with FIN once it is {@code age} old (TCP). See {@link CutAfterAge}.
     *
     * @param age zero or positive, at most {@link #MAX_DURATION}
     * @return a fault that closes each connection at {@code age}
     */
    static CutAfterAge cutAfter(Duration age) {
        return new CutAfterAge(age, FaultScope.DEFAULT);
    }

    /**
     * Delays forwarding a FIN by {@code delay} (TCP). See {@link SlowClose}.
     *
     * @param delay positive, at most {@link #MAX_DURATION}
     * @return a fault that holds each FIN for {@code delay}
     */
    static SlowClose slowClose(Duration delay) {
        return new SlowClose(delay, FaultScope.DEFAULT);
    }

    /**
     * Cuts a TCP stream into pieces of about {@code averageBytes} sent {@code delay} apart (TCP).
     * See {@link Slice}.
     *
     * @param averageBytes positive, at most {@link Slice#MAX_BYTES}
     * @param variation zero or positive, smaller than {@code averageBytes}
     * @param delay zero or positive, at most {@link #MAX_DURATION}
     * @return a slice fault cutting the stream into pieces of about {@code averageBytes}, in both directions
     */
    static Slice slice(long averageBytes, long variation, Duration delay) {
        return new Slice(averageBytes, variation, delay, FaultScope.DEFAULT);
    }

    /**
     * Accepts a connection at once but dials the upstream only after {@code delay} (TCP). See
     * {@link SlowOpen}.
     *
     * @param delay positive, at most {@link #MAX_DURATION}
     * @return a fault that opens the upstream connection {@code delay} after accepting
     */
    static SlowOpen slowOpen(Duration delay) {
        return new SlowOpen(delay, FaultScope.DEFAULT);
    }

    /**
     * Sends a datagram twice with probability {@code p} (UDP). See {@link Duplicate}.
     *
     * @param p in {@code [0, 1]}
     * @return a duplicate fault with probability {@code p}, in both directions
     */
    static Duplicate duplicate(double p) {
        return new Duplicate(FaultScope.DEFAULT.withProbability(Checks.probability("duplicate probability", p)));
    }

    /**
     * Reorders datagrams as netem's {@code reorder p gap} (UDP). See {@link Reorder}.
     *
     * @param p in {@code [0, 1]}
     * @param gap at least 1
     * @return a reorder fault with probability {@code p} for every {@code gap}-th datagram, in both directions
     */
    static Reorder reorder(double p, int gap) {
        return new Reorder(gap, FaultScope.DEFAULT.withProbability(Checks.probability("reorder probability", p)));
    }

    /**
     * Flips one random bit of a datagram with probability {@code p} (UDP). See {@link Corrupt}.
     *
     * @param p in {@code [0, 1]}
     * @return a corrupt fault with probability {@code p}, in both directions
     */
    static Corrupt corrupt(double p) {
        return new Corrupt(FaultScope.DEFAULT.withProbability(Checks.probability("corrupt probability", p)));
    }

    /**
     * Cuts datagrams longer than {@code maxBytes} to their first {@code maxBytes} bytes (UDP). See
     * {@link Truncate}.
     *
     * @param maxBytes zero or positive
     * @return a truncate fault at {@code maxBytes}, in both directions
     */
    static Truncate truncate(int maxBytes) {
        return new Truncate(maxBytes, FaultScope.DEFAULT);
    }
}
