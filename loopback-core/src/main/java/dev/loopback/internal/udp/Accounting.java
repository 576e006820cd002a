package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.FaultKind;
import dev.loopback.LinkEvent;
import dev.loopback.UdpStats;
import dev.loopback.UdpStats.DropCause;
import dev.loopback.internal.link.Counters;
import dev.loopback.internal.link.FaultState;
import dev.loopback.internal.link.LinkJournal;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The link's counters and the events that go with them. Written on the loop thread, read by any
 * thread; an event is journalled before its count, so a reader who sees the count finds the event.
 */
final class Accounting {

    static final int RECEIVED_FROM_CLIENTS = 0;
    static final int RECEIVED_FROM_SERVER = 1;
    static final int EXPIRED = 2;
    static final int DUPLICATED = 3;
    static final int REORDERED = 4;
    static final int CORRUPTED = 5;
    static final int TRUNCATED = 6;
    private static final int TO_SERVER = 7;
    private static final int TO_CLIENT = 8;
    private static final int BYTES_TO_SERVER = 9;
    private static final int BYTES_TO_CLIENT = 10;
    private static final int DROPPED = 11;
    private static final int INJECTED = DROPPED + DropCause.values().length;

    private final Counters counters = new Counters(INJECTED + FaultKind.values().length);
    private final LinkJournal journal;
    private final String upstream;

    Accounting(LinkJournal journal, String upstream) {
        this.journal = journal;
        this.upstream = upstream;
    }

    void count(int counter) {
        counters.increment(counter);
    }

    /** Counts {@code datagrams} (1, or -1 to take a count back) of {@code length} bytes sent on {@code flow}. */
    void sent(Flow flow, int length, int datagrams) {
        ClientMapping client = flow.client;
        boolean toServer = flow.direction == Direction.TO_SERVER;
        counters.add(toServer ? TO_SERVER : TO_CLIENT, datagrams);
        counters.add(toServer ? BYTES_TO_SERVER : BYTES_TO_CLIENT, length);
        client.counters.add(toServer ? ClientMapping.TO_SERVER : ClientMapping.TO_CLIENT, datagrams);
        client.counters.add(toServer ? ClientMapping.BYTES_TO_SERVER : ClientMapping.BYTES_TO_CLIENT, length);
    }

    /** Counts a datagram dropped on {@code flow} (null before a client mapping exists). */
    void dropped(Flow flow, DropCause cause) {
        counters.increment(DROPPED + cause.ordinal());
        if (flow != null) {
            flow.client.counters.increment(ClientMapping.DROPPED);
        }
    }

    void sendFailed(Flow flow, IOException e) {
        dropped(flow, DropCause.UNREACHABLE);
        unreachable(flow.client, e);
    }

    /** Journals the first failure to reach the upstream for {@code client}. */
    void unreachable(ClientMapping client, IOException e) {
        if (!client.unreachableJournalled) {
            client.unreachableJournalled = true;
            journal.add(LinkEvent.Type.UPSTREAM_FAILED, client.id, upstream + ": " + e);
        }
    }

    /** Journals (the first time for this mapping and direction) and counts a fault acting. */
    void fired(FaultState state, Flow flow) {
        FaultKind kind = state.fault().kind();
        String first = state.firstAction(verb(kind), flow.direction);
        if (first != null) {
            journal.add(LinkEvent.Type.FAULT_FIRED, flow.client.id, first);
        }
        counters.increment(INJECTED + kind.ordinal());
    }

    private static String verb(FaultKind kind) {
        return switch (kind) {
            case LOSS -> "lost a datagram";
            case BLACKHOLE -> "discarding";
            case FREEZE -> "held";
            case LATENCY -> "delayed";
            case REORDER -> "sent a datagram ahead";
            case RATE -> "queued";
            case DUPLICATE -> "duplicated";
            case CORRUPT -> "flipped a bit";
            case TRUNCATE -> "truncated";
            default -> "acted";
        };
    }

    UdpStats stats(int clients, long engineErrors) {
        Map<DropCause, Long> dropped = new EnumMap<>(DropCause.class);
        for (DropCause cause : DropCause.values()) {
            long n = counters.get(DROPPED + cause.ordinal());
            if (n > 0) {
                dropped.put(cause, n);
            }
        }
        Map<FaultKind, Long> injected = counters.byKind(INJECTED);
        return new UdpStats(counters.get(TO_SERVER), counters.get(TO_CLIENT), counters.get(BYTES_TO_SERVER),
                counters.get(BYTES_TO_CLIENT), counters.get(RECEIVED_FROM_CLIENTS), counters.get(RECEIVED_FROM_SERVER),
                clients, counters.get(EXPIRED), dropped, counters.get(DUPLICATED), counters.get(REORDERED),
                counters.get(CORRUPTED), counters.get(TRUNCATED), engineErrors, injected);
    }
}
