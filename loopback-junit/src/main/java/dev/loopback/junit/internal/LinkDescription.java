package dev.loopback.junit.internal;

import dev.loopback.Link;
import dev.loopback.LinkEvent;
import java.util.List;

/** A link's statistics and latest events, for failure messages and reports. */
public final class LinkDescription {

    /** How many of the latest events are shown. */
    static final int EVENTS_SHOWN = 10;

    private LinkDescription() {}

    /** Returns the latest events of {@code link}, one per line, each starting with {@code indent}; empty if none. */
    public static String lastEvents(Link<?> link, String indent) {
        List<LinkEvent> events = link.events();
        if (events.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("\n").append(indent).append("last events:");
        for (LinkEvent event : events.subList(Math.max(0, events.size() - EVENTS_SHOWN), events.size())) {
            text.append('\n').append(indent).append("  ").append(event);
        }
        return text.toString();
    }
}
