package dev.loopback;

import java.util.Map;

/**
 * Counters of a {@link UdpLink}. A snapshot: it does not change after it is taken. Datagrams sent
 * count every copy (a duplicated datagram counts twice); counters are read one by one while traffic
 * flows, so they agree with each other only once traffic stops.
 *
 * @param datagramsToServer datagrams sent to the server
 * @param datagramsToClient datagrams sent to clients
 * @param bytesToServer bytes sent to the server
 * @param bytesToClient bytes sent to clients
 * @param receivedFromClients datagrams the link received from clients
 * @param receivedFromServer datagrams the link received from the server
 * @param clients client mappings live now
 * @param expired client mappings that expired idle
 * @param dropped datagrams dropped, by cause, both directions
 * @param duplicated extra copies made by {@link Fault#duplicate(double)}
 * @param reordered datagrams sent after a datagram of the same client and direction that the link
 *     received after them (out of order as RFC 4737 counts it), whatever the fault that caused it
 * @param corrupted datagrams with one bit flipped by {@link Fault#corrupt(double)}
 * @param truncated datagrams cut by {@link Fault#truncate(int)}
 * @param engineErrors how often the link failed handling a datagram (see {@link LinkStats#engineErrors()})
 * @param injected how many times each kind of fault acted
 */
public record UdpStats(
        long datagramsToServer,
        long datagramsToClient,
        long bytesToServer,
        long bytesToClient,
        long receivedFromClients,
        long receivedFromServer,
        long clients,
        long expired,
        Map<DropCause, Long> dropped,
        long duplicated,
        long reordered,
        long corrupted,
        long truncated,
        long engineErrors,
        Map<FaultKind, Long> injected)
        implements LinkStats {

    /** Copies the maps so that the snapshot cannot change. */
    public UdpStats {
        dropped = Map.copyOf(dropped);
        injected = Map.copyOf(injected);
    }

    /**
     * Returns how many datagrams were dropped for {@code cause}.
     *
     * @param cause why the datagrams were dropped
     * @return the number of datagrams dropped for {@code cause}, 0 if none
     */
    public long dropped(DropCause cause) {
        return dropped.getOrDefault(cause, 0L);
    }

    /**
     * Returns how many datagrams were dropped for any cause.
     *
     * @return the sum over every drop cause
     */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Why a {@link UdpLink} dropped a datagram. */
    public enum DropCause {
        /** A {@link Fault#loss(double)} or Gilbert-Elliott loss fault lost it. */
        LOSS,
        /** A {@link Fault#blackhole()} discarded it. */
        BLACKHOLE,
        /** The link was {@link UdpLink#partition() partitioned} when it arrived or was due to leave. */
        PARTITION,
        /** A {@link Fault#rate(long)} queue was full (drop-tail). */
        RATE_QUEUE,
        /** A {@link Fault#freeze()} already held the link's buffer bound of bytes. */
        FREEZE_OVERFLOW,
        /**
         * The link's send queue for that socket (64 MiB of direct memory, for bursts faster than the
         * link forwards) was full, or the JVM's direct memory limit left no room for it.
         */
        SEND_QUEUE,
        /**
         * The kernel refused the send (for example no route to the upstream) or a client's upstream
         * socket could not be opened. A server that is simply not listening is not detected: as on a
         * real network, its datagrams are sent and lost.
         */
        UNREACHABLE,
        /** The link failed while handling it (see {@link LinkStats#engineErrors()}). */
        ENGINE_ERROR
    }
}
