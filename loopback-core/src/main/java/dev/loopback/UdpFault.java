package dev.loopback;

/**
 * A {@link Fault} a {@link UdpLink} can apply: {@link Latency}, {@link Rate}, {@link Loss},
 * {@link GilbertElliott}, {@link Blackhole}, {@link Freeze}, {@link Duplicate}, {@link Reorder},
 * {@link Corrupt} and {@link Truncate}. {@code UdpLink.inject} takes nothing else, so a
 * connection fault ({@code reset()}) or a TCP option ({@code loss(p).stall(d)}) on a UDP link does
 * not compile.
 */
public sealed interface UdpFault extends Fault
        permits Latency, Rate, Loss, GilbertElliott, Blackhole, Freeze, Duplicate, Reorder, Corrupt, Truncate {}
