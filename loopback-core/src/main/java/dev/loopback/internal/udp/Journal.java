package dev.loopback.internal.udp;

import dev.loopback.LinkEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/** A link's bounded event journal; the oldest entries are dropped first. Thread-safe. */
final class Journal {

    static final int CAPACITY = 1024;

    private final long openedNanos = System.nanoTime();
    private final ArrayDeque<LinkEvent> events = new ArrayDeque<>();

    synchronized void add(LinkEvent.Type type, long client, String detail) {
        if (events.size() == CAPACITY) {
            events.removeFirst();
        }
        events.addLast(new LinkEvent(Duration.ofNanos(System.nanoTime() - openedNanos), type, client, detail));
    }

    synchronized List<LinkEvent> list() {
        return List.copyOf(events);
    }
}
