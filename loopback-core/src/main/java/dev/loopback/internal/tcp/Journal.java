package dev.loopback.internal.tcp;

import dev.loopback.LinkEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/** A link's bounded event journal: the newest {@link #CAPACITY} events, oldest first. Thread-safe. */
final class Journal {

    /** How many events a link keeps. */
    static final int CAPACITY = 10_000;

    private final long openedAt;
    private final ArrayDeque<LinkEvent> events = new ArrayDeque<>();

    Journal(long openedAt) {
        this.openedAt = openedAt;
    }

    void add(LinkEvent.Type type, long connection, String detail) {
        LinkEvent e = new LinkEvent(Duration.ofNanos(System.nanoTime() - openedAt), type, connection, detail);
        synchronized (events) {
            if (events.size() == CAPACITY) {
                events.poll();
            }
            events.add(e);
        }
    }

    List<LinkEvent> list() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
