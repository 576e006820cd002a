package dev.loopback;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a link's journal.
 *
 * @param at time since the link was opened
 * @param type what happened
 * @param connection the connection (TCP) or client mapping (UDP) number, from 1; 0 for the link itself
 * @param detail human-readable detail, for example the fault that fired
 * @param error the exception of an {@link Type#ENGINE_ERROR} event; null for every other type
 */
public record LinkEvent(Duration at, Type type, long connection, String detail, @Nullable Throwable error) {

    /**
     * An event that carries no exception.
     *
     * @param at time since the link was opened
     * @param type what happened, not {@link Type#ENGINE_ERROR} (which carries its exception)
     * @param connection the connection or client mapping number, from 1; 0 for the link itself
     * @param detail human-readable detail, for example the fault that fired
     */
    public LinkEvent(Duration at, Type type, long connection, String detail) {
        this(at, type, connection, detail, null);
    }

    /** What happened. */
    public enum Type {
        /** A client connection was accepted (TCP) or a client mapping created (UDP). */
        ACCEPTED,
        /** The link's upstream connection was established. */
        UPSTREAM_CONNECTED,
        /** The upstream refused or could not be reached. */
        UPSTREAM_FAILED,
        /** The first byte of the connection was forwarded. */
        FIRST_BYTE,
        /** A fault acted; the detail names it. */
        FAULT_FIRED,
        /** A fault was injected into the link. */
        FAULT_INJECTED,
        /** A fault was removed from the link. */
        FAULT_REMOVED,
        /** The link sent FIN (half-close or close) to one side; the detail names which. */
        FIN_SENT,
        /** The link aborted a side with RST. */
        RST_SENT,
        /**
         * A new connection was refused. On a TCP link the kernel refuses clients while a refuse
         * fault keeps the listening socket closed: the event marks the listener being closed, and
         * opened again when the fault goes.
         */
        REFUSED,
        /** The link was partitioned. */
        PARTITIONED,
        /** The link was healed. */
        HEALED,
        /** A connection or client mapping ended. */
        CLOSED,
        /** An idle UDP client mapping expired. */
        EXPIRED,
        /**
         * The link failed while serving a connection or datagram — a bug in the link, not in the
         * peers: the TCP connection was reset both ways, or the UDP datagram dropped and its client
         * mapping closed. {@link LinkEvent#error()} is the exception; the detail names it.
         */
        ENGINE_ERROR
    }

    @Override
    public String toString() {
        return String.format("+%.3fms #%d %s %s", at.toNanos() / 1e6, connection, type, detail).trim();
    }
}
