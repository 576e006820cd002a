package dev.loopback.junit.internal;

import dev.loopback.Link;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a failing test's report carries: the seeds, the exact annotation that replays the test,
 * and each link's statistics and latest events.
 */
public final class FailureReport {

    private final Map<String, String> entries = new LinkedHashMap<>();
    private final StringBuilder text = new StringBuilder();

    /**
     * Builds the report.
     *
     * @param scopes the spaces of the failing test, innermost (the test's own) first, by label
     *     ({@code "test"}, {@code "class"}, {@code "class Outer"})
     */
    public FailureReport(Map<String, SpaceScope> scopes) {
        long runSeed = scopes.values().iterator().next().runSeed();
        String annotation = annotation(runSeed);
        entries.put("loopback.replay", annotation);
        entries.put("loopback.run.seed", Long.toString(runSeed));
        text.append("Loopback: replay this test alone with ").append(annotation)
                .append(" on it (or the configuration parameter loopback.seed=").append(runSeed).append(")");
        scopes.forEach((label, scope) -> describe(label, scope, runSeed));
    }

    /** Returns the annotation that fixes {@code runSeed}, as Java source. */
    public static String annotation(long runSeed) {
        boolean fitsInt = runSeed >= Integer.MIN_VALUE && runSeed <= Integer.MAX_VALUE;
        return "@LoopbackSeed(" + runSeed + (fitsInt ? "" : "L") + ")";
    }

    private void describe(String label, SpaceScope scope, long replaySeed) {
        long spaceSeed = scope.space().seed();
        String key = "loopback." + label.replace(' ', '.');
        entries.put(key + ".space.seed", Long.toString(spaceSeed));
        text.append("\n  ").append(label).append(" space: seed ").append(spaceSeed);
        if (scope.runSeed() != replaySeed) {
            text.append(" (from run seed ").append(scope.runSeed()).append(": ")
                    .append(annotation(scope.runSeed())).append(" on the ").append(label).append(")");
        }
        text.append(", hosts {");
        StringBuilder hosts = new StringBuilder();
        scope.space().hosts().forEach((name, address) -> hosts.append(hosts.length() == 0 ? "" : ", ")
                .append(name).append('=').append(address.getHostAddress()));
        text.append(hosts).append('}');
        List<Link<?>> links = scope.space().links();
        for (Link<?> link : links) {
            String stats = link.stats().toString();
            entries.put(key + ".link." + link.name(), stats);
            text.append("\n    link ").append(link.name()).append(' ').append(link.endpoint()).append(" -> ")
                    .append(link.upstream()).append(": ").append(stats);
            text.append(LinkDescription.lastEvents(link, "      "));
        }
    }

    /** Returns the report entries to publish. */
    public Map<String, String> entries() {
        return entries;
    }

    /** Returns the exception to add as suppressed to the test's failure. */
    public LoopbackReplay exception() {
        return new LoopbackReplay(text.toString());
    }

    /** The suppressed exception that carries the report; it has no stack trace of its own. */
    public static final class LoopbackReplay extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoopbackReplay(String message) {
            super(message, null, false, false);
        }
    }
}
