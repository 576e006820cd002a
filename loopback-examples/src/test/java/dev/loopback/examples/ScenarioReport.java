package dev.loopback.examples;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs every scenario in this package through the JUnit Platform Launcher, exactly as a build
 * would, and prints what each one showed: the outcome, the time it took and what the client
 * observed (the {@code observed} report entries the scenarios publish).
 *
 * <p>Run it with {@code ./mvnw -q -pl loopback-examples -am package exec:java -DskipTests}. It
 * fails (non-zero exit) if any scenario fails.
 */
public final class ScenarioReport {

    private ScenarioReport() {}

    /** Runs the scenarios and prints the report; throws if any scenario failed. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(ScenarioReport.class.getPackageName()))
                .build();
        Collector collector = new Collector();
        long start = System.nanoTime();
        LauncherFactory.create().execute(request, collector);
        double seconds = (System.nanoTime() - start) / 1e9;

        out.println();
        out.printf(Locale.ROOT, "Loopback scenario report — Java %s, %s%n",
                System.getProperty("java.version"), System.getProperty("os.name"));
        out.println("=".repeat(78));
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (Map.Entry<String, List<Case>> scenario : collector.scenarios().entrySet()) {
            out.println();
            out.println(scenario.getKey());
            for (Case c : scenario.getValue()) {
                out.printf(Locale.ROOT, "  %-4s %6.2f s  %s%n", c.status(), c.seconds(), c.name());
                for (String line : c.observations()) {
                    out.println("               observed: " + line);
                }
                if (c.failure() != null) {
                    out.println("               failure:  " + c.failure());
                }
                switch (c.status()) {
                    case "PASS" -> passed++;
                    case "SKIP" -> skipped++;
                    default -> failed++;
                }
            }
        }
        out.println();
        out.println("=".repeat(78));
        out.printf(Locale.ROOT, "%d scenarios: %d passed, %d failed, %d skipped in %.1f s%n",
                collector.scenarios().size(), passed, failed, skipped, seconds);
        if (failed > 0 || passed == 0) {
            throw new IllegalStateException(failed + " scenario case(s) failed; " + passed + " passed");
        }
    }

    private record Case(String name, String status, double seconds, List<String> observations, String failure) {}

    /** Collects outcomes, durations and report entries per test, grouped by scenario class. */
    private static final class Collector implements TestExecutionListener {
        private final Map<TestIdentifier, Long> started = new ConcurrentHashMap<>();
        private final Map<TestIdentifier, List<String>> observed = new ConcurrentHashMap<>();
        private final Map<TestIdentifier, Case> finished = new ConcurrentHashMap<>();
        private TestPlan plan;

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            started.put(id, System.nanoTime());
        }

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            entry.getKeyValuePairs().forEach((key, value) -> {
                if (key.equals("observed")) {
                    observed.computeIfAbsent(id, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(value);
                }
            });
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                finished.put(id, new Case(id.getDisplayName(), "SKIP", 0, List.of(), reason));
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
                if (result.getStatus() == TestExecutionResult.Status.FAILED && id.getSource().isPresent()) {
                    // a container (class) failed, for example in a leak check after all tests
                    finished.put(id, new Case(id.getDisplayName() + " (class)", "FAIL", 0, List.of(),
                            result.getThrowable().map(Throwable::toString).orElse("failed")));
                }
                return;
            }
            double seconds = (System.nanoTime() - started.getOrDefault(id, System.nanoTime())) / 1e9;
            String status = switch (result.getStatus()) {
                case SUCCESSFUL -> "PASS";
                case ABORTED -> "SKIP";
                case FAILED -> "FAIL";
            };
            String failure = result.getThrowable().map(Throwable::toString).orElse(null);
            finished.put(id, new Case(id.getDisplayName(), status, seconds,
                    List.copyOf(observed.getOrDefault(id, List.of())), failure));
        }

        /** Returns the cases in discovery order, keyed by their scenario (class) display name. */
        Map<String, List<Case>> scenarios() {
            Map<String, List<Case>> result = new LinkedHashMap<>();
            for (TestIdentifier root : plan.getRoots()) {
                for (TestIdentifier scenario : plan.getChildren(root)) {
                    List<Case> cases = new ArrayList<>();
                    collect(scenario, cases);
                    if (!cases.isEmpty()) {
                        result.put(scenario.getDisplayName(), cases);
                    }
                }
            }
            return result;
        }

        private void collect(TestIdentifier node, List<Case> into) {
            Case c = finished.get(node);
            if (c != null) {
                into.add(c);
            }
            for (TestIdentifier child : plan.getChildren(node)) {
                collect(child, into);
            }
        }
    }
}
