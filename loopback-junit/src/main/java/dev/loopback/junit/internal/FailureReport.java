package dev.loopback.junit.internal;

import dev.loopback.Cluster;
import dev.loopback.Nemesis;
import dev.loopback.Link;
import dev.loopback.internal.access.FastPaths;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a failing test's report carries: the seeds, the exact annotation that replays the test,
 * each link's statistics, the faults that fired on it and its latest events, and which kernel paths
 * the JVM used (the FFM fast paths or /proc/net and DatagramChannel, and why). The same report goes
 * three ways, so that it reaches every place a user looks: a suppressed exception on the failure
 * (consoles, IDEs, and the failure's stack trace in Surefire's XML), the test's standard output
 * (Surefire's {@code <system-out>}, which ignores JUnit report entries) and report entries (IDEs,
 * Gradle, JUnit's own reports).
 */
public final class FailureReport {

    private final Map<String, String> entries = new LinkedHashMap<>();
    private final StringBuilder text = new StringBuilder();

    /**
     * Builds the report.
     *
     * @param failed what failed, for the first line: {@code OrderTest.retries}, {@code class OrderTest}
     * @param scopes the spaces of the failing test, innermost (the test's own) first, by label
     *     ({@code "test"}, {@code "class"}, {@code "class Outer"})
     * @param failure what the test threw: if a {@link java.net.BindException} caused it, the report
     *     names the other processes that hold ports of the spaces' hosts
     */
    public FailureReport(String failed, Map<String, SpaceScope> scopes, Throwable failure) {
        long runSeed = scopes.values().iterator().next().runSeed();
        String annotation = annotation(runSeed);
        entries.put("loopback.replay", annotation);
        entries.put("loopback.run.seed", Long.toString(runSeed));
        text.append("Loopback: ").append(failed).append(" failed; replay it alone with ").append(annotation)
                .append(" on it (or the configuration parameter loopback.seed=").append(runSeed).append(")");
        if (AddressInUse.causes(failure)) {
            addressInUse(scopes);
        }
        boolean innermost = true;
        for (Map.Entry<String, SpaceScope> scope : scopes.entrySet()) {
            if (innermost || !scope.getValue().space().hosts().isEmpty()) { // an unused class space decided nothing
                describe(scope.getKey(), scope.getValue(), runSeed);
            }
            innermost = false;
        }
        String paths = FastPaths.describe();
        entries.put("loopback.kernel.paths", paths);
        text.append("\n  kernel paths: ").append(paths);
    }

    private void addressInUse(Map<String, SpaceScope> scopes) {
        Set<String> holders = new LinkedHashSet<>();
        for (SpaceScope scope : scopes.values()) {
            if (!scope.space().isClosed()) {
                holders.addAll(AddressInUse.holders(scope.space()));
            }
        }
        String found = holders.isEmpty()
                ? "no other process listens on this test's hosts, or on the wildcard at the ports handed out to"
                        + " it (a socket bound without listening is in no socket table, and this JVM's own are not"
                        + " listed)"
                : "other processes hold ports of this test's hosts: " + String.join(", ", holders);
        String line = found + ". A lease keeps other Loopback tests off a host, not other processes: hand your server"
                + " a socket that is already listening (@LoopbackAddress ServerSocketChannel or ServerSocket, or"
                + " space.bind(...)), so no one can take the port between the check and the bind";
        entries.put("loopback.address.in.use", line);
        text.append("\n  address already in use: ").append(line);
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
        for (Link<?> link : scope.space().links()) {
            String stats = link.stats().toString();
            entries.put(key + ".link." + link.name(), stats);
            text.append("\n    link ").append(link.name()).append(' ').append(link.endpoint()).append(" -> ")
                    .append(link.upstream()).append(": ").append(stats)
                    .append(LinkDescription.journal(link, "      "));
        }
        for (Cluster cluster : scope.space().clusters()) {
            text.append("\n    cluster ").append(cluster.nodes()).append(" nemesis journal:");
            List<Cluster.Step> steps = cluster.journal();
            if (steps.isEmpty()) {
                text.append(" (no operation)");
            }
            steps.forEach(step -> text.append("\n      ").append(step));
            entries.put(key + ".cluster." + String.join(",", cluster.nodes()), steps.toString());
            List<Nemesis> nemeses = cluster.nemeses();
            for (int i = 0; i < nemeses.size(); i++) {
                Nemesis nemesis = nemeses.get(i);
                List<Cluster.Step> ran = nemesis.steps();
                text.append("\n    cluster ").append(cluster.nodes()).append(' ').append(nemesis)
                        .append(": ").append(ran.size()).append(ran.size() == 1 ? " step" : " steps")
                        .append(nemesis.isDone() ? "" : " (still running)");
                ran.forEach(step -> text.append("\n      ").append(step));
                entries.put(key + ".cluster." + String.join(",", cluster.nodes()) + ".nemesis." + (i + 1), ran.toString());
            }
        }
    }

    /** Returns the report entries to publish. */
    public Map<String, String> entries() {
        return entries;
    }

    /** Returns the report as text. */
    public String text() {
        return text.toString();
    }

    /** Returns the exception to add as suppressed to the test's failure. */
    public LoopbackReplay exception() {
        return new LoopbackReplay(text());
    }

    /**
     * The suppressed exception that carries the report. It has no stack trace, and its
     * {@link #toString()} is the report alone, so a printed stack trace shows
     * {@code Suppressed: Loopback: …} and no class name of ours.
     */
    public static final class LoopbackReplay extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoopbackReplay(String message) {
            super(message, null, false, false);
        }

        @Override
        @SuppressWarnings("OverrideThrowableToString") // the point: a stack trace prints the report, no class name
        public String toString() {
            return getMessage();
        }
    }
}
