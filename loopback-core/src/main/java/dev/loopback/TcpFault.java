package dev.loopback;

/**
 * A {@link Fault} a {@link TcpLink} can apply: {@link Latency}, {@link Bandwidth}, {@link Loss} and
 * {@link LossStall} (a segment stalls, bytes preserved), {@link Reset}, {@link Refuse},
 * {@link Blackhole}, {@link Freeze}, {@link CutAfterBytes}, {@link CutAfterAge},
 * {@link SlowClose}, {@link Slice} and {@link SlowOpen}. {@code TcpLink.inject} takes nothing else,
 * so a datagram fault on a TCP link does not compile.
 */
public sealed interface TcpFault extends Fault
        permits Latency, Bandwidth, Loss, LossStall, Reset, Refuse, Blackhole, Freeze, CutAfterBytes, CutAfterAge,
                SlowClose, Slice, SlowOpen {}
