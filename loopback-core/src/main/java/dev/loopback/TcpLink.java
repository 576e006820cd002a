package dev.loopback;

import java.util.List;

/**
 * A {@link Link} for TCP. Each accepted client connection is forwarded over its own upstream
 * connection, made from the link's own host so the server sees a distinct peer.
 *
 * <p>With no data-altering fault active, every byte arrives once and in order; a half-close (EOF)
 * on one side is forwarded as {@code shutdownOutput} on the other; buffering per direction is
 * bounded, so a slow reader pushes back on the writer as a real network would.
 */
public interface TcpLink extends Link {

    /** Returns a snapshot of the link's counters. */
    @Override
    TcpStats stats();

    /** Returns the live connections, oldest first. */
    List<TcpConnection> connections();
}
