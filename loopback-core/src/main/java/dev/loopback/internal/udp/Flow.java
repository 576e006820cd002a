package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.internal.link.FaultState;
import java.util.ArrayDeque;

/** One direction of one client mapping: the state faults keep for it. Used by the loop thread only. */
final class Flow {

    final ClientMapping client;
    final Direction direction;
    /** Datagrams received, numbering them from 1. */
    long received;
    /** Bytes received before the current datagram: the {@code afterBytes} trigger. */
    long bytesSeen;
    /** Highest arrival number sent so far, to count datagrams sent out of order. */
    long highestSent;
    /** Latest release time given to a datagram by an order-preserving latency. */
    long lastRelease = System.nanoTime();
    /** Datagrams held by a freeze, in arrival order. */
    final ArrayDeque<Datagram> frozen = new ArrayDeque<>();
    /** A reorder without latency holds one datagram that the next candidate may overtake. */
    Datagram reorderHeld;
    /** Datagrams of this flow scheduled on the timer (delayed, rate-queued, held for reorder). */
    int scheduled;

    Flow(ClientMapping client, Direction direction) {
        this.client = client;
        this.direction = direction;
    }

    /** Whether {@code state}'s fault selects a datagram of this flow now: its connection, direction, byte and age triggers. */
    boolean selects(FaultState state, long now) {
        return state.active().picks(client.id) && state.triggered(direction, bytesSeen, now - client.createdNanos);
    }

    boolean busy() {
        return scheduled > 0 || !frozen.isEmpty() || reorderHeld != null;
    }
}
