package dev.loopback.examples;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.engine.discovery.PackageNameFilter;

/**
 * Runs the scenarios in this package through the JUnit Platform Launcher, exactly as a build would,
 * and prints what each one showed, grouped by client: the outcome, the time it took and what the
 * client observed (the {@code observed} report entries the scenarios publish).
 *
 * <p>{@code ./mvnw -q -pl loopback-examples -am package exec:java -DskipTests} prints the report;
 * it fails (non-zero exit) if any scenario fails. With {@code -Dexec.args=--catalogue} it runs the
 * catalogue rows ({@code dev.loopback.examples.catalogue}) instead and rewrites
 * {@code docs/catalogue.md} from their measurements.
 */
public final class ScenarioReport {

    private static final String BASE = ScenarioReport.class.getPackageName();
    private static final String CATALOGUE = BASE + ".catalogue";
    private static final String SNIPPETS = BASE + ".snippets";

    /** The report's groups, by the scenario's package, in the order they are printed. */
    private static final Map<String, String> GROUPS = groups();

    private ScenarioReport() {}

    private static Map<String, String> groups() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put(BASE + ".jdbc", "JDBC — HikariCP and H2 in server mode");
        groups.put(BASE + ".http", "HTTP — OkHttp, Jetty and a Resilience4j circuit breaker");
        groups.put(BASE + ".grpc", "gRPC — grpc-java over Netty");
        groups.put(BASE + ".kafka", "Kafka — producer and consumer of an in-JVM KRaft broker");
        groups.put(BASE + ".dns", "DNS over UDP — dnsjava");
        groups.put(BASE + ".cluster", "Clusters — a replicated register under a nemesis");
        groups.put(BASE + ".spring", "Spring Boot — @SpringBootTest on port 8080 in parallel classes");
        groups.put(BASE, "JDK clients and sockets — HttpClient, Socket, DatagramChannel");
        return groups;
    }

    /** Runs the scenarios and prints the report (or, with {@code --catalogue}, writes the catalogue). */
    public static void main(String[] args) throws IOException {
        boolean catalogue = List.of(args).contains("--catalogue");
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .filters(EngineFilter.includeEngines("junit-jupiter"));
        if (catalogue) {
            request.selectors(selectPackage(CATALOGUE));
        } else {
            request.selectors(selectPackage(BASE)).filters(PackageNameFilter.excludePackageNames(CATALOGUE, SNIPPETS));
        }
        Collector collector = new Collector();
        long start = System.nanoTime();
        LauncherFactory.create().execute(request.build(), collector);
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, List<Scenario>> groups = collector.groups();
        int[] counts = print(System.out, groups, seconds);
        if (catalogue) {
            Path file = Catalogue.write(collector.entries, seconds);
            System.out.println("wrote " + file);
        }
        if (counts[1] > 0 || counts[0] == 0) {
            throw new IllegalStateException(counts[1] + " scenario case(s) failed; " + counts[0] + " passed");
        }
    }

    /** Prints the report; returns {passed, failed, skipped}. */
    private static int[] print(PrintStream out, Map<String, List<Scenario>> groups, double seconds) {
        out.println();
        out.printf(Locale.ROOT, "Loopback scenario report — Java %s, %s%n",
                System.getProperty("java.version"), System.getProperty("os.name"));
        int[] counts = new int[3];
        int scenarios = 0;
        for (Map.Entry<String, List<Scenario>> group : groups.entrySet()) {
            out.println();
            out.println("=".repeat(78));
            out.println(group.getKey());
            out.println("=".repeat(78));
            for (Scenario scenario : group.getValue()) {
                scenarios++;
                out.println();
                out.println(scenario.name());
                scenario.observations().forEach(line -> out.println("               observed: " + line));
                for (Case c : scenario.cases()) {
                    out.printf(Locale.ROOT, "  %-4s %6.2f s  %s%n", c.status(), c.seconds(), c.name());
                    c.observations().forEach(line -> out.println("               observed: " + line));
                    if (c.failure() != null) {
                        out.println("               " + (c.status().equals("SKIP") ? "skipped:  " : "failure:  ")
                                + c.failure());
                    }
                    counts[switch (c.status()) {
                        case "PASS" -> 0;
                        case "SKIP" -> 2;
                        default -> 1;
                    }]++;
                }
            }
        }
        out.println();
        out.println("=".repeat(78));
        out.printf(Locale.ROOT, "%d scenarios: %d passed, %d failed, %d skipped in %.1f s%n",
                scenarios, counts[0], counts[1], counts[2], seconds);
        return counts;
    }

    private record Case(String name, String status, double seconds, List<String> observations, String failure) {}

    private record Scenario(String name, List<String> observations, List<Case> cases) {}

    /** Collects outcomes, durations and report entries per test, grouped by client and scenario class. */
    private static final class Collector implements TestExecutionListener {
        private final Map<TestIdentifier, Long> started = new ConcurrentHashMap<>();
        private final Map<TestIdentifier, List<String>> observed = new ConcurrentHashMap<>();
        private final Map<TestIdentifier, Case> finished = new ConcurrentHashMap<>();
        final List<Map<String, String>> entries = Collections.synchronizedList(new ArrayList<>());
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
            entries.add(entry.getKeyValuePairs());
            String value = entry.getKeyValuePairs().get("observed");
            if (value != null) {
                observed.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>())).add(value);
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            finished.put(id, new Case(id.getDisplayName() + (id.isTest() ? "" : " (all of it)"), "SKIP", 0, List.of(),
                    reason));
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            String failure = result.getThrowable().map(Throwable::toString).orElse(null);
            if (!id.isTest()) {
                if (result.getStatus() == TestExecutionResult.Status.FAILED && id.getSource().isPresent()) {
                    // a container failed, for example in a leak check after all tests
                    finished.put(id, new Case(id.getDisplayName() + " (class)", "FAIL", 0, List.of(), failure));
                }
                return;
            }
            double seconds = (System.nanoTime() - started.getOrDefault(id, System.nanoTime())) / 1e9;
            String status = switch (result.getStatus()) {
                case SUCCESSFUL -> "PASS";
                case ABORTED -> "SKIP";
                case FAILED -> "FAIL";
            };
            finished.put(id, new Case(id.getDisplayName(), status, seconds,
                    List.copyOf(observed.getOrDefault(id, List.of())), failure));
        }

        /** Returns the scenarios grouped by client, in the groups' order, each group in discovery order. */
        Map<String, List<Scenario>> groups() {
            Map<String, List<Scenario>> result = new LinkedHashMap<>();
            GROUPS.values().forEach(title -> result.put(title, new ArrayList<>()));
            for (TestIdentifier root : plan.getRoots()) {
                for (TestIdentifier scenario : plan.getChildren(root)) {
                    List<Case> cases = new ArrayList<>();
                    collect(scenario, cases);
                    if (!cases.isEmpty()) {
                        result.computeIfAbsent(group(scenario), k -> new ArrayList<>()).add(new Scenario(
                                scenario.getDisplayName(), List.copyOf(observed.getOrDefault(scenario, List.of())),
                                cases));
                    }
                }
            }
            result.values().removeIf(List::isEmpty);
            return result;
        }

        private static String group(TestIdentifier scenario) {
            String className = scenario.getSource().filter(ClassSource.class::isInstance)
                    .map(s -> ((ClassSource) s).getClassName()).orElse(BASE + ".Unknown");
            String pkg = className.substring(0, className.lastIndexOf('.'));
            return GROUPS.getOrDefault(pkg, pkg);
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

    /** Writes {@code docs/catalogue.md} from the measurements' {@code catalogue.*} entries. */
    private static final class Catalogue {

        static Path write(List<Map<String, String>> entries, double seconds) throws IOException {
            Map<String, List<Map<String, String>>> byClient = new LinkedHashMap<>();
            entries.stream().filter(e -> e.containsKey("catalogue.client"))
                    .sorted(java.util.Comparator.comparing((Map<String, String> e) -> e.get("catalogue.client")))
                    .forEach(e -> byClient.computeIfAbsent(e.get("catalogue.client"), k -> new ArrayList<>()).add(e));
            StringBuilder md = new StringBuilder();
            md.append("<!-- GENERATED FILE: do not edit. Regenerate with\n")
                    .append("     ./mvnw -q -pl loopback-examples -am package exec:java -DskipTests -Dexec.args=--catalogue -->\n\n")
                    .append("# What your client sees: a catalogue of clients under faults\n\n")
                    .append("Measured by the catalogue rows in `loopback-examples/src/test/java/dev/loopback/examples/catalogue/`")
                    .append(" (they also run in the build, where each row fails if its client does not recover).")
                    .append(" Each case opens the client afresh, makes one call with no fault (so it is connected,")
                    .append(" as an application would be), injects the fault, makes one call and records what it")
                    .append(" reported and after how long (capped at 3 s: \"no answer\" means the call was still")
                    .append(" waiting), removes the fault and calls until one succeeds (10 s at most). \"Fault acted\"")
                    .append(" says whether the link saw the fault act on the client's traffic: `slowOpen` needs a new")
                    .append(" connection and `slowClose` a close, which a pooled client does not make.\n\n")
                    .append(String.format(Locale.ROOT, "Seed `@LoopbackSeed(14)`; Java %s on %s; load average %s at the end of"
                            + " the %.0f s run (the machine is shared: times are indicative).%n",
                            System.getProperty("java.version"), System.getProperty("os.name"), loadAverage(), seconds));
            for (Map.Entry<String, List<Map<String, String>>> client : byClient.entrySet()) {
                md.append("\n## ").append(client.getKey()).append("\n\n")
                        .append("| fault | what the client reports | after | fault acted | recovers after removal |\n")
                        .append("|---|---|---|---|---|\n");
                for (Map<String, String> e : client.getValue()) {
                    md.append("| `").append(e.get("catalogue.fault")).append("` | ")
                            .append(cell(e.get("catalogue.reports"))).append(" | ").append(e.get("catalogue.after"))
                            .append(" | ").append(e.get("catalogue.acted")).append(" | ")
                            .append(cell(e.get("catalogue.recovers"))).append(" |\n");
                }
            }
            Path file = root().resolve("docs").resolve("catalogue.md");
            Files.writeString(file, md);
            return file;
        }

        private static String cell(String text) {
            return text.replace("|", "\\|").replace("`", "'");
        }

        private static String loadAverage() {
            try {
                return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
            } catch (IOException | RuntimeException e) {
                return "unknown";
            }
        }

        /** The repository's root: the nearest directory upwards with the Maven wrapper in it. */
        private static Path root() {
            Path dir = Path.of("").toAbsolutePath();
            while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
                dir = dir.getParent();
            }
            if (dir == null) {
                throw new IllegalStateException("cannot find the repository root (a directory with mvnw) above "
                        + Path.of("").toAbsolutePath());
            }
            return dir;
        }
    }
}
