package dev.loopback;

import java.time.Duration;
import java.util.Objects;

/**
 * Delays data in each covered direction (TCP, UDP): made by {@link Fault#latency(Duration)}.
 *
 * <p><b>TCP.</b> The stream is cut into segments of {@value TcpLink#SEGMENT_BYTES} bytes by
 * position; each segment gets its delay (the same {@code delay}, or with {@link #jitter(Duration)}
 * one sampled per segment from the fault's random stream in stream order) and each byte is
 * released at the time the link read it plus its segment's delay — never earlier, and never
 * before a byte read before it, so bytes stay in order and delays do not add up. The same seed and
 * the same bytes give every segment the same delay however the sender's writes were split. With a
 * probability below 1 each segment is delayed or not by its own draw.
 *
 * <p><b>TCP connections and throughput.</b> A client's {@code connect()} completes at once (the
 * link's kernel completes the handshake before the link sees the connection); the link dials the
 * server once the handshake would have crossed the path — twice the delay towards the server plus
 * once back, without jitter — so the server accepts, and the client's first bytes reach it, when
 * they would on a real path (a latency with a probability below 1 or a trigger does not delay the
 * dial). The bytes a latency delays are bounded by the link's window
 * ({@link LoopbackSpace.Builder#linkWindowBytes(int)}), split between the directions by their
 * delays, so a bulk transfer runs at window ÷ round trip, as on a real path with that window.
 *
 * <p><b>UDP.</b> Each datagram is delayed; with jitter each gets its own delay, so datagrams can
 * arrive out of order unless {@link #preserveOrder()}.
 *
 * @param delay the mean delay, zero or positive, at most {@link Fault#MAX_DURATION}
 * @param jitter the spread of the delay around its mean, zero or positive, at most {@link Fault#MAX_DURATION}
 * @param distribution how jittered delays are spread; {@link Distribution#LOGNORMAL} needs a positive delay
 * @param preservesOrder UDP only: a datagram never leaves before one received before it (a TCP link
 *     refuses the option: TCP never reorders bytes)
 * @param scope direction, probability and triggers
 */
public record Latency(Duration delay, Duration jitter, Distribution distribution, boolean preservesOrder, FaultScope scope)
        implements TcpFault, UdpFault, ScopedFault<Latency> {

    /** Checks every option; throws {@link IllegalArgumentException} naming a bad one. */
    public Latency {
        Checks.duration("latency delay", delay, true);
        Checks.duration("jitter", jitter, true);
        Objects.requireNonNull(distribution, "distribution");
        Objects.requireNonNull(scope, "scope");
        if (distribution == Distribution.LOGNORMAL && delay.isZero() && !jitter.isZero()) {
            throw new IllegalArgumentException("lognormal distribution needs a positive mean delay, got 0");
        }
    }

    /**
     * Returns this latency with each delay spread by {@code jitter} according to the {@link #distribution()} (default uniform).
     *
     * @param jitter the spread, zero or positive, at most {@link Fault#MAX_DURATION}
     * @return a latency like this one with {@code jitter}
     */
    public Latency jitter(Duration jitter) {
        return new Latency(delay, jitter, distribution, preservesOrder, scope);
    }

    /**
     * Returns this latency with jittered delays drawn from {@code distribution}.
     *
     * @param distribution the distribution of jittered delays, not null
     * @return a latency like this one drawing delays from {@code distribution}
     */
    public Latency distribution(Distribution distribution) {
        return new Latency(delay, jitter, distribution, preservesOrder, scope);
    }

    /**
     * Returns this latency never reordering datagrams (UDP only; a TCP link refuses it).
     *
     * @return a latency like this one that keeps datagram order
     */
    public Latency preserveOrder() {
        return new Latency(delay, jitter, distribution, true, scope);
    }

    @Override
    public Latency withScope(FaultScope scope) {
        return new Latency(delay, jitter, distribution, preservesOrder, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.LATENCY;
    }

    @Override
    public String toString() {
        StringBuilder call = new StringBuilder("latency(").append(FaultText.duration(delay)).append(')');
        if (!jitter.isZero()) {
            call.append(".jitter(").append(FaultText.duration(jitter)).append(')');
        }
        if (distribution != Distribution.UNIFORM) {
            call.append(".distribution(").append(distribution).append(')');
        }
        if (preservesOrder) {
            call.append(".preserveOrder()");
        }
        return FaultText.of(call.toString(), scope, false);
    }
}
