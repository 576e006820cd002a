package dev.loopback.junit.internal;

import dev.loopback.Link;
import dev.loopback.LinkEvent;
import dev.loopback.UdpLink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a link's journal tells, for failure messages and reports: every fault that fired, each with
 * the connections (or UDP clients) it acted on, and the latest events. Both are capped, and a capped
 * list says how much it left out. The journal's own wording ({@link LinkEvent#detail()}) is printed
 * as it is.
 */
public final class LinkDescription {

    /** How many different faults are listed. */
    static final int FAULTS_SHOWN = 20;
    /** How many connection numbers are listed per fault. */
    static final int CONNECTIONS_SHOWN = 8;
    /** How many of the latest events are shown. */
    static final int EVENTS_SHOWN = 10;

    private LinkDescription() {}

    /**
     * Returns the faults that fired on {@code link} and its latest events, each line starting with a
     * newline and {@code indent}; empty if the journal is.
     */
    public static String journal(Link<?> link, String indent) {
        List<LinkEvent> events = link.events();
        StringBuilder text = new StringBuilder();
        faultsFired(events, link instanceof UdpLink ? "client" : "connection", indent, text);
        lastEvents(events, indent, text);
        return text.toString();
    }

    private static void faultsFired(List<LinkEvent> events, String noun, String indent, StringBuilder text) {
        Map<String, List<LinkEvent>> byFault = new LinkedHashMap<>();
        for (LinkEvent event : events) {
            if (event.type() == LinkEvent.Type.FAULT_FIRED) {
                byFault.computeIfAbsent(event.detail(), d -> new ArrayList<>()).add(event);
            }
        }
        if (byFault.isEmpty()) {
            return;
        }
        text.append('\n').append(indent).append("faults that fired:");
        byFault.values().stream().limit(FAULTS_SHOWN).forEach(fired -> text.append('\n').append(indent)
                .append("  ").append(at(fired.get(0))).append(' ').append(fired.get(0).detail())
                .append(on(fired, noun)));
        if (byFault.size() > FAULTS_SHOWN) {
            text.append('\n').append(indent).append("  … and ").append(byFault.size() - FAULTS_SHOWN)
                    .append(" more faults that fired (link.events() has them all)");
        }
    }

    private static String on(List<LinkEvent> fired, String noun) {
        List<Long> ids = fired.stream().map(LinkEvent::connection).filter(id -> id > 0).distinct().toList();
        if (ids.isEmpty()) {
            return "";
        }
        String shown = ids.stream().limit(CONNECTIONS_SHOWN).map(id -> "#" + id).collect(Collectors.joining(", "));
        String more = ids.size() > CONNECTIONS_SHOWN ? " and " + (ids.size() - CONNECTIONS_SHOWN) + " more" : "";
        return " — on " + ids.size() + " " + noun + (ids.size() == 1 ? "" : "s") + " (" + shown + more + ")";
    }

    private static void lastEvents(List<LinkEvent> events, String indent, StringBuilder text) {
        if (events.isEmpty()) {
            return;
        }
        text.append('\n').append(indent).append(events.size() <= EVENTS_SHOWN
                ? "events:"
                : "last " + EVENTS_SHOWN + " of " + events.size() + " events:");
        for (LinkEvent event : events.subList(Math.max(0, events.size() - EVENTS_SHOWN), events.size())) {
            text.append('\n').append(indent).append("  ").append(event);
        }
    }

    private static String at(LinkEvent event) {
        return String.format(Locale.ROOT, "+%.3fms", event.at().toNanos() / 1e6);
    }
}
