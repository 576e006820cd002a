package dev.loopback;

import java.util.Objects;

/**
 * Limits throughput in each covered direction with a token bucket (TCP): made by
 * {@link Fault#bandwidth(long)}. Each connection has its own bucket unless {@link #shared()}, when
 * all connections of the link share one per direction, and share it evenly: each connection that
 * drew on it within the last 200 ms gets the rate divided by their number, as a fair queue at a
 * bottleneck would give it. Transfers are slow; once the link's buffer
 * fills, the sender's writes block. A link that may not pass data at all is a
 * {@link Fault#blackhole()} or {@link Fault#freeze()}, never a bandwidth of 0. With a probability
 * below 1 each connection is limited or not by one draw.
 *
 * @param bytesPerSecond the rate, positive
 * @param isShared true if one bucket per direction is shared by all connections of the link
 * @param scope direction, probability and triggers
 */
public record Bandwidth(long bytesPerSecond, boolean isShared, FaultScope scope)
        implements TcpFault, ScopedFault<Bandwidth> {

    /** Checks every option; throws {@link IllegalArgumentException} naming a bad one. */
    public Bandwidth {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bandwidth " + bytesPerSecond
                    + " bytes/s must be > 0 (to stop traffic use blackhole() or freeze())");
        }
        Objects.requireNonNull(scope, "scope");
    }

    /**
     * Returns this bandwidth with one bucket shared evenly by the connections of the link that use it,
     * instead of one per connection.
     *
     * @return a bandwidth of the same rate and scope whose bucket all connections of the link draw from
     */
    public Bandwidth shared() {
        return new Bandwidth(bytesPerSecond, true, scope);
    }

    @Override
    public Bandwidth withScope(FaultScope scope) {
        return new Bandwidth(bytesPerSecond, isShared, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.BANDWIDTH;
    }

    @Override
    public String toString() {
        return FaultText.of("bandwidth(" + bytesPerSecond + ")" + (isShared ? ".shared()" : ""), scope, false);
    }
}
