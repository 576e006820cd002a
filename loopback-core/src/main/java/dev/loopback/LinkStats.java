package dev.loopback;

import java.util.Map;

/** Counters of a link, common to TCP and UDP. A snapshot: it does not change after it is taken. */
public interface LinkStats {

    /**
     * Returns the bytes forwarded client → server.
     *
     * @return the number of bytes the link wrote to the upstream
     */
    long bytesToServer();

    /**
     * Returns the bytes forwarded server → client.
     *
     * @return the number of bytes the link wrote back to clients
     */
    long bytesToClient();

    /**
     * Returns how many times each kind of fault acted (fired on a connection, segment, cut, write or datagram).
     *
     * @return the count per kind of fault that acted at least once; kinds that never acted are absent
     */
    Map<FaultKind, Long> injected();

    /**
     * Returns how often the link failed while serving a connection or datagram (each journalled as
     * {@link LinkEvent.Type#ENGINE_ERROR}); 0 unless the link has a bug.
     *
     * @return the number of engine errors; anything but 0 is worth a bug report
     */
    long engineErrors();

    /**
     * Returns how many times faults of {@code kind} acted.
     *
     * @param kind the kind of fault
     * @return the number of times it acted, 0 if never
     */
    default long injected(FaultKind kind) {
        return injected().getOrDefault(kind, 0L);
    }
}
