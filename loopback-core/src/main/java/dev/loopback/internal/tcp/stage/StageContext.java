package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.link.FaultState;

/**
 * What a stage may know of and do to its connection; the connection implements it. Loop thread only.
 */
public interface StageContext {

    /** The connection's number on its link, from 1. */
    long id();

    /** {@link System#nanoTime()} when the link accepted the connection. */
    long acceptedAt();

    /** Bytes written so far in {@code direction}. */
    long forwarded(Direction direction);

    /** Aborts the connection with RST to the client and/or the server (a normal close for the other), counted as a reset. */
    void reset(boolean client, boolean server, String why);

    /** Sends FIN both ways, drops what is queued and discards further input until each side closes. */
    void cut(String why);

    /** Counts one action of {@code stage} in {@code direction} (null: on the whole connection); the first is journalled. */
    void acted(FaultState stage, Direction direction, String verb);

    /** Counts and journals the first action of {@code stage} in {@code direction} only. */
    void actedOnce(FaultState stage, Direction direction, String verb);

    /** Counts a segment stalled by a loss. */
    void stalled();

    /** What a shared bandwidth fault shares between every connection of the link in {@code direction}. */
    SharedBandwidth sharedBandwidth(ActiveFault fault, Direction direction, long now);
}
