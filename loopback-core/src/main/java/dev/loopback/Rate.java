package dev.loopback;

import java.util.Objects;

/**
 * Limits a UDP link's datagrams to a rate (UDP): made by {@link Fault#rate(long)}. Datagrams leave
 * no faster than the rate, one after another (a datagram of {@code n} bytes takes
 * {@code n / rate} s); they wait in a queue of {@link #queueBytes()} shared by every client of the
 * link in that direction, and one that does not fit is dropped and counted (drop-tail).
 *
 * @param bytesPerSecond the rate, positive
 * @param queueBytes the queue bound, positive; {@value #DEFAULT_QUEUE_BYTES} unless {@link #queue(long)}
 * @param scope direction, probability and triggers
 */
public record Rate(long bytesPerSecond, long queueBytes, FaultScope scope) implements UdpFault, ScopedFault<Rate> {

    /** The queue bound of a rate fault unless {@link #queue(long)} sets another: 64 KiB. */
    public static final long DEFAULT_QUEUE_BYTES = 64 * 1024;

    /** Checks every option; throws {@link IllegalArgumentException} naming a bad one. */
    public Rate {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate " + bytesPerSecond
                    + " bytes/s must be > 0 (to stop traffic use blackhole() or freeze())");
        }
        if (queueBytes <= 0) {
            throw new IllegalArgumentException("rate queue " + queueBytes + " bytes must be > 0");
        }
        Objects.requireNonNull(scope, "scope");
    }

    /**
     * Returns this rate with a queue of {@code bytes}; datagrams that do not fit are dropped.
     *
     * @param bytes the queue bound, positive
     * @return a rate like this one with a queue of {@code bytes}
     */
    public Rate queue(long bytes) {
        return new Rate(bytesPerSecond, bytes, scope);
    }

    @Override
    public Rate withScope(FaultScope scope) {
        return new Rate(bytesPerSecond, queueBytes, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.RATE;
    }

    @Override
    public String toString() {
        return FaultText.of("rate(" + bytesPerSecond + ")" + (queueBytes != DEFAULT_QUEUE_BYTES ? ".queue(" + queueBytes + ")" : ""),
                scope, false);
    }
}
