package dev.loopback;

import java.time.Duration;
import java.util.Objects;

/**
 * Bernoulli loss with the scope's probability (TCP, UDP): made by {@link Fault#loss(double)}.
 *
 * <p><b>UDP.</b> Each datagram is dropped with that probability, independently, and counted.
 *
 * <p><b>TCP</b> cannot lose bytes at this layer: a "lost" segment (one of
 * {@value TcpLink#SEGMENT_BYTES} bytes by stream position, drawn in stream order, so the loss rate
 * is per segment as a packet loss rate is per packet) stalls for {@link Fault#DEFAULT_LOSS_STALL},
 * as a retransmission timeout would, and then arrives intact; later bytes wait behind it. The same
 * seed and bytes stall the same segments however the sender's writes were split.
 * {@link #stall(Duration)} sets another stall, making the fault TCP-only.
 *
 * @param scope direction, probability (the loss rate) and triggers
 */
public record Loss(FaultScope scope) implements TcpFault, UdpFault, ScopedFault<Loss> {

    /** Checks the scope. */
    public Loss {
        Objects.requireNonNull(scope, "scope");
    }

    /**
     * Returns this loss on a TCP link stalling a lost segment for {@code stall} instead of
     * {@link Fault#DEFAULT_LOSS_STALL}; the result is a {@link LossStall}, which a UDP link does not take.
     *
     * @param stall positive, at most {@link Fault#MAX_DURATION}
     * @return a TCP loss with the same probability and scope that stalls a lost segment for {@code stall}
     */
    public LossStall stall(Duration stall) {
        return new LossStall(stall, scope);
    }

    @Override
    public Loss withScope(FaultScope scope) {
        return new Loss(scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.LOSS;
    }

    @Override
    public String toString() {
        return FaultText.of("loss(" + scope.probability() + ")", scope, true);
    }
}
