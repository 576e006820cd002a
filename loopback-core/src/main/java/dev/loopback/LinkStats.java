package dev.loopback;

import java.util.Map;

/** Counters of a link, common to TCP and UDP. A snapshot: it does not change after it is taken. */
public interface LinkStats {

    /** Returns the bytes forwarded client → server. */
    long bytesToServer();

    /** Returns the bytes forwarded server → client. */
    long bytesToClient();

    /** Returns how many times each kind of fault acted (fired on a connection, segment, cut, write or datagram). */
    Map<FaultKind, Long> injected();

    /**
     * Returns how often the link failed while serving a connection or datagram (each journalled as
     * {@link LinkEvent.Type#ENGINE_ERROR}); 0 unless the link has a bug.
     */
    long engineErrors();

    /** Returns how many times faults of {@code kind} acted. */
    default long injected(FaultKind kind) {
        return injected().getOrDefault(kind, 0L);
    }
}
