package dev.loopback.benchmarks.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.loopback.Endpoint;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Per-test overhead of the Loopback extension with one injected {@link Endpoint}, against an
 * empty test and a {@code @TempDir} test, run in the same JVM through the JUnit Platform Launcher:
 * {@value #TESTS} tests of each kind per round, sequentially, kinds interleaved, several rounds.
 * Reports the wall time per test (median over rounds), the median of the per-test durations, and
 * the process's open file descriptors and live threads before and after.
 *
 * <pre>java -cp loopback-benchmarks/target/benchmarks.jar dev.loopback.benchmarks.junit.ExtensionOverhead [rounds]</pre>
 */
public final class ExtensionOverhead {

    static final int TESTS = 2000;

    private ExtensionOverhead() {}

    /** An empty test: the baseline. */
    public static class EmptyTests {
        /** Does nothing. */
        @RepeatedTest(TESTS)
        void test() {}
    }

    /** A test with a {@code @TempDir}: the yardstick of a resource-providing extension. */
    public static class TempDirTests {
        /** Uses the directory, so it is created. */
        @RepeatedTest(TESTS)
        void test(@TempDir Path directory) {
            if (!Files.isDirectory(directory)) {
                throw new AssertionError(directory);
            }
        }
    }

    /** A test with one injected endpoint: a host leased, a port probed, the leak check, the release. */
    @LoopbackTest
    public static class EndpointTests {
        /** Uses the endpoint. */
        @RepeatedTest(TESTS)
        void test(@LoopbackAddress Endpoint endpoint) {
            if (endpoint.port() == 0) {
                throw new AssertionError(endpoint);
            }
        }
    }

    /** One kind of test, run with some configuration. */
    private record Kind(String name, Class<?> type, Map<String, String> config) {}

    /**
     * Runs the measurement.
     *
     * @param args optional: the number of measured rounds (default 5)
     * @throws IOException if the file descriptors cannot be counted
     */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Kind> kinds = List.of(
                new Kind("empty test", EmptyTests.class, Map.of()),
                new Kind("@TempDir Path", TempDirTests.class, Map.of()),
                new Kind("@LoopbackAddress Endpoint", EndpointTests.class, Map.of()),
                new Kind("@LoopbackAddress Endpoint, loopback.leaks=off", EndpointTests.class,
                        Map.of("loopback.leaks", "off")));
        Launcher launcher = LauncherFactory.create();
        System.out.printf(Locale.ROOT, "JVM %s, %d CPUs, %d tests per kind per round, %d rounds (+1 warm-up)%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), TESTS, rounds);

        for (Kind kind : kinds) {
            run(launcher, kind); // warm-up
        }
        System.gc();
        long fdsBefore = openFileDescriptors();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        Map<Kind, List<double[]>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < kinds.size(); k++) {
                Kind kind = kinds.get((k + round) % kinds.size()); // rotate the order to spread drift
                results.computeIfAbsent(kind, x -> new ArrayList<>()).add(run(launcher, kind));
            }
        }
        System.gc();
        long fdsAfter = openFileDescriptors();
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();

        double emptyWall = median(results.get(kinds.get(0)).stream().mapToDouble(r -> r[0]).toArray());
        double emptyMedian = median(results.get(kinds.get(0)).stream().mapToDouble(r -> r[1]).toArray());
        System.out.printf(Locale.ROOT, "%-48s %14s %14s %16s %16s%n", "kind", "wall/test µs", "median µs",
                "wall over empty", "median over empty");
        for (Kind kind : kinds) {
            double wall = median(results.get(kind).stream().mapToDouble(r -> r[0]).toArray());
            double med = median(results.get(kind).stream().mapToDouble(r -> r[1]).toArray());
            System.out.printf(Locale.ROOT, "%-48s %14.1f %14.1f %16.1f %16.1f%n", kind.name(), wall, med,
                    wall - emptyWall, med - emptyMedian);
        }
        System.out.printf(Locale.ROOT, "file descriptors: %d before, %d after; threads: %d before, %d after%n",
                fdsBefore, fdsAfter, threadsBefore, threadsAfter);
    }

    /** Runs one kind once; returns {wall µs per test, median µs of the per-test durations}. */
    private static double[] run(Launcher launcher, Kind kind) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(kind.type()))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false");
        kind.config().forEach(request::configurationParameter);
        LauncherDiscoveryRequest built = request.build();
        Durations durations = new Durations();
        long start = System.nanoTime();
        launcher.execute(built, durations);
        long wall = System.nanoTime() - start;
        if (durations.count() != TESTS || durations.failures > 0) {
            throw new IllegalStateException(kind.name() + ": " + durations.count() + " tests ran, "
                    + durations.failures + " failed: " + durations.firstFailure);
        }
        return new double[] {wall / 1e3 / TESTS, durations.median() / 1e3};
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Records each test's duration, from started to finished (callbacks and resolution included). */
    private static final class Durations implements TestExecutionListener {
        private final Map<String, Long> started = new ConcurrentHashMap<>();
        private final List<Long> durations = new ArrayList<>();
        private int failures;
        private Throwable firstFailure;

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                started.put(id.getUniqueId(), System.nanoTime());
            }
        }

        @Override
        public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                failures++;
                if (firstFailure == null) {
                    firstFailure = result.getThrowable().orElse(null);
                }
            }
            if (id.isTest()) {
                durations.add(System.nanoTime() - started.remove(id.getUniqueId()));
            }
        }

        synchronized int count() {
            return durations.size();
        }

        synchronized double median() {
            return ExtensionOverhead.median(durations.stream().mapToDouble(Long::doubleValue).toArray());
        }
    }
}
