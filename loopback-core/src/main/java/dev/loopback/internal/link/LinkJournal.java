package dev.loopback.internal.link;

import dev.loopback.LinkEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A link's bounded event journal: the newest {@link #CAPACITY} events, oldest first, timed from
 * the journal's creation (the link's opening). Thread-safe: the engine adds, tests read.
 */
public final class LinkJournal {

    /** How many events a link keeps; older ones are dropped first. */
    public static final int CAPACITY = 10_000;

    private final long openedAt = System.nanoTime();
    private final ArrayDeque<LinkEvent> events = new ArrayDeque<>();

    /** Records an event of {@code type} for connection or client {@code id} (0 for the link itself). */
    public void add(LinkEvent.Type type, long id, String detail) {
        add(type, id, detail, null);
    }

    /** Records an event carrying {@code error} (an {@link LinkEvent.Type#ENGINE_ERROR}). */
    public void add(LinkEvent.Type type, long id, String detail, Throwable error) {
        LinkEvent event = new LinkEvent(Duration.ofNanos(System.nanoTime() - openedAt), type, id, detail, error);
        synchronized (events) {
            if (events.size() == CAPACITY) {
                events.removeFirst();
            }
            events.addLast(event);
        }
    }

    /** Returns a snapshot of the journal, oldest first. */
    public List<LinkEvent> list() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
