package dev.loopback;

import java.util.List;

/**
 * A {@link Link} for TCP. Each accepted client connection is forwarded over its own upstream
 * connection, made from the link's own host so the server sees a distinct peer — that host, not
 * {@code 127.0.0.1}: a server that authorises clients by address (PostgreSQL's
 * {@code pg_hba.conf}, say) must allow the space's pool.
 *
 * <p>With no data-altering fault active, every byte arrives once and in order; a half-close (EOF)
 * on one side is forwarded as {@code shutdownOutput} on the other while the other direction keeps
 * flowing; a reset by one peer is passed on as a reset to the other; buffering per direction is
 * bounded ({@code LoopbackSpace.builder().linkBufferBytes(n)}), so a slow reader pushes back on the
 * writer as a real network would.
 *
 * <p><b>Upstream down.</b> The link dials the upstream when it accepts a connection; if that fails
 * it resets the client at once, so the client sees {@code Connection reset} on its first read or
 * write (or on a timed {@code connect} that is still completing) — never a connection that seems
 * to work. The kernel completes a client's handshake before the link can know, so the link cannot
 * answer {@code Connection refused} for one connection; {@link Fault#refuse()} can, for all new ones.
 *
 * <p><b>Faults.</b> A TCP link takes every {@link TcpFault}: latency, bandwidth, loss (a segment
 * stalls, bytes preserved), reset, refuse, blackhole, freeze, cut, slow close, slice and slow
 * open; datagram faults do not compile. {@link Fault#refuse()} closes the listening socket while
 * it is active (completed handshakes are accepted first) and listens again on the same port when
 * removed.
 *
 * <p><b>Reproducible by stream position.</b> Latency jitter, loss stalls and slice cuts are
 * decided by position in each direction's byte stream — segments of {@value #SEGMENT_BYTES} bytes
 * for latency and loss, drawn in stream order from the fault's random stream for that connection
 * and direction — so the same seed and the same bytes delay, stall and cut the same byte ranges
 * whether the client writes 1 × 1 MiB or 1,024 × 1 KiB. What still depends on timing: which
 * connection gets which number when several connect at once (accept order), age triggers
 * ({@code after(d)}, {@code cutAfter(d)}), and when bytes arrive (a delay counts from the moment the
 * link read the bytes).
 *
 * <p><b>Engine.</b> All links share at most two engine threads ({@code loopback-io-N}); threads do
 * not grow with connections, and a link's connections take the threads in turn, so concurrent
 * transfers through one link use both. Control calls never wait for data in flight; {@code refuse} and
 * {@link #close()} wait for the engine to close the listening socket, so a connect after they
 * return is refused.
 */
public interface TcpLink extends Link<TcpFault> {

    /**
     * The size of the stream segments by which latency and loss decide, in bytes: one Ethernet
     * TCP payload (1,500-byte MTU less 52 bytes of IPv4 and TCP headers with timestamps).
     */
    int SEGMENT_BYTES = 1448;

    /** Returns a snapshot of the link's counters; bytes are counted just after the link writes them. */
    @Override
    TcpStats stats();

    /**
     * Returns the live connections, oldest first; empty once the link is closed.
     *
     * @return the connections open now; a copy
     */
    List<TcpConnection> connections();
}
