package dev.loopback;

/**
 * The kinds of {@link Fault}, each with what the peer observes: the key of link statistics
 * ({@link LinkStats#injected(FaultKind)}) and assertions. Each kind is one record type (loss and cut
 * have several: {@link Loss}, {@link LossStall}, {@link GilbertElliott}; {@link CutAfterBytes},
 * {@link CutAfterAge}), which documents its options.
 */
public enum FaultKind {
    /** Delay per segment or datagram, optionally jittered (TCP, UDP). Peers see slower replies. */
    LATENCY,
    /** Token-bucket throughput limit (TCP). Peers see slow transfers and, when buffers fill, blocked writes. */
    BANDWIDTH,
    /** Datagram rate limit with a bounded drop-tail queue (UDP). */
    RATE,
    /** TCP: a segment stalls as if retransmitted after a timeout, bytes preserved. UDP: the datagram is dropped. */
    LOSS,
    /** The link aborts the connection with RST: the peer sees {@code Connection reset} (TCP). */
    RESET,
    /** New connections are refused: clients see {@code Connection refused} (TCP). */
    REFUSE,
    /** Connections stay open but data is discarded (TCP); datagrams are discarded (UDP). */
    BLACKHOLE,
    /** Data is held, connections stay open; everything held is delivered when the fault goes (TCP, UDP). */
    FREEZE,
    /** The connection is closed with FIN after a number of bytes or a time: the peer sees EOF (TCP). */
    CUT,
    /** Closing is delayed: the FIN reaches the peer only after a delay (TCP). */
    SLOW_CLOSE,
    /** Data is cut into small segments sent with a delay between them (TCP). */
    SLICE,
    /** The client's connection is accepted but the upstream is dialled only after a delay (TCP). */
    SLOW_OPEN,
    /** Datagrams are sent twice (UDP). */
    DUPLICATE,
    /** Some datagrams are sent at once while the others wait, as netem's reorder (UDP). */
    REORDER,
    /** One random bit of the datagram is flipped (UDP). */
    CORRUPT,
    /** Datagrams longer than a limit are cut to it, as a small MTU would (UDP). */
    TRUNCATE
}
