package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.internal.fault.ActiveFault;
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

    private ActiveFault[] seen = new ActiveFault[0];
    private FaultState[] states = new FaultState[0];

    Flow(ClientMapping client, Direction direction) {
        this.client = client;
        this.direction = direction;
    }

    /** Returns the per-flow states of {@code faults}, index for index, keeping those of faults still active. */
    FaultState[] states(ActiveFault[] faults) {
        if (faults != seen) {
            FaultState[] next = new FaultState[faults.length];
            for (int i = 0; i < faults.length; i++) {
                next[i] = existing(faults[i]);
                if (next[i] == null) {
                    next[i] = FaultState.of(faults[i], client.id, direction);
                }
            }
            seen = faults;
            states = next;
        }
        return states;
    }

    private FaultState existing(ActiveFault fault) {
        for (FaultState state : states) {
            if (state.active == fault) {
                return state;
            }
        }
        return null;
    }

    boolean busy() {
        return scheduled > 0 || !frozen.isEmpty() || reorderHeld != null;
    }
}
