package dev.loopback;

import java.util.Map;

/**
 * Counters of a {@link UdpLink}.
 *
 * @param datagramsToServer datagrams forwarded client → server
 * @param datagramsToClient datagrams forwarded server → client
 * @param bytesToServer bytes forwarded client → server
 * @param bytesToClient bytes forwarded server → client
 * @param clients client mappings live now
 * @param injected how many times each kind of fault acted
 */
public record UdpStats(
        long datagramsToServer,
        long datagramsToClient,
        long bytesToServer,
        long bytesToClient,
        long clients,
        Map<FaultKind, Long> injected)
        implements LinkStats {

    /** Copies the map so that the snapshot cannot change. */
    public UdpStats {
        injected = Map.copyOf(injected);
    }
}
