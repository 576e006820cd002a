package dev.loopback;

import java.util.Map;

/**
 * Counters of a {@link TcpLink}.
 *
 * @param accepted connections accepted from clients
 * @param active connections open now
 * @param closed connections fully closed
 * @param refused connections refused (by a refuse fault or a down upstream)
 * @param bytesToServer bytes forwarded client → server
 * @param bytesToClient bytes forwarded server → client
 * @param resets connections aborted with RST by a reset fault
 * @param stalls chunks stalled by a TCP loss fault
 * @param injected how many times each kind of fault acted
 */
public record TcpStats(
        long accepted,
        long active,
        long closed,
        long refused,
        long bytesToServer,
        long bytesToClient,
        long resets,
        long stalls,
        Map<FaultKind, Long> injected)
        implements LinkStats {

    /** Copies the map so that the snapshot cannot change. */
    public TcpStats {
        injected = Map.copyOf(injected);
    }
}
