package dev.loopback;

import java.util.Map;

/**
 * Counters of a {@link TcpLink}. The engine updates them as it goes, just after each write, so a
 * client may read bytes a moment before they are counted.
 *
 * @param accepted connections accepted from clients
 * @param active connections open now ({@code accepted - closed})
 * @param closed connections ended, however they ended (FIN, reset, cut, upstream down)
 * @param upstreamFailed accepted connections reset because the upstream could not be reached
 *     (journalled as {@link LinkEvent.Type#UPSTREAM_FAILED}); clients refused by a
 *     {@link Fault#refuse()} are refused by the kernel and never seen by the link
 *     ({@code injected(REFUSE)} counts how often the listener was closed)
 * @param bytesToServer bytes forwarded client → server
 * @param bytesToClient bytes forwarded server → client
 * @param resets connections aborted with RST by a reset fault
 * @param stalls segments stalled by a TCP loss fault
 * @param engineErrors connections reset because the link failed serving them (see {@link LinkStats#engineErrors()})
 * @param injected how many times each kind of fault acted: per segment for latency and loss, per
 *     cut for slice, per write for bandwidth, per connection for the others
 */
public record TcpStats(
        long accepted,
        long active,
        long closed,
        long upstreamFailed,
        long bytesToServer,
        long bytesToClient,
        long resets,
        long stalls,
        long engineErrors,
        Map<FaultKind, Long> injected)
        implements LinkStats {

    /** Copies the map so that the snapshot cannot change. */
    public TcpStats {
        injected = Map.copyOf(injected);
    }
}
