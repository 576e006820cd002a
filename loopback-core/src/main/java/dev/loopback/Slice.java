package dev.loopback;

import java.time.Duration;
import java.util.Objects;

/**
 * Cuts a TCP stream into small pieces sent apart (TCP), as Toxiproxy's slicer: made by
 * {@link Fault#slice(long, long, Duration)}. The link cuts the stream at positions drawn in stream
 * order from the fault's random stream — each piece {@code averageBytes ± variation} bytes
 * (uniform) — writes each piece on its own and waits {@link #delay()} before the next; with a
 * probability below 1 each cut is made or skipped by its own draw. Readers that assume one
 * {@code read} returns a whole message break. Bytes are unchanged, and the same seed cuts the same
 * byte positions however the sender's writes were split.
 *
 * @param averageBytes the mean piece size, in {@code 1..MAX_BYTES}
 * @param variation the spread of piece sizes, in {@code [0, averageBytes)}
 * @param delay the pause between pieces, zero or positive, at most {@link Fault#MAX_DURATION}
 * @param scope direction, probability (per cut) and triggers
 */
public record Slice(long averageBytes, long variation, Duration delay, FaultScope scope)
        implements TcpFault, ScopedFault<Slice> {

    /** The largest average piece size: 1 GiB. */
    public static final long MAX_BYTES = 1L << 30;

    /** Checks every option; throws {@link IllegalArgumentException} naming a bad one. */
    public Slice {
        if (averageBytes <= 0 || averageBytes > MAX_BYTES) {
            throw new IllegalArgumentException("slice averageBytes " + averageBytes + " must be in 1.." + MAX_BYTES);
        }
        if (variation < 0 || variation >= averageBytes) {
            throw new IllegalArgumentException("slice variation " + variation + " must be in [0, averageBytes="
                    + averageBytes + ")");
        }
        Checks.duration("slice delay", delay, true);
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public Slice withScope(FaultScope scope) {
        return new Slice(averageBytes, variation, delay, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.SLICE;
    }

    @Override
    public String toString() {
        return FaultText.of("slice(" + averageBytes + ", " + variation + ", " + FaultText.duration(delay) + ")", scope,
                false);
    }
}
