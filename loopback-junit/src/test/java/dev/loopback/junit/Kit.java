package dev.loopback.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs {@link Fixture} classes through the Jupiter engine and reads what happened. */
final class Kit {

    private Kit() {}

    /** Runs {@code fixture} sequentially, with {@code config} as key, value, key, value… */
    static EngineExecutionResults run(Class<?> fixture, String... config) {
        return run(selectClass(fixture), config);
    }

    static EngineExecutionResults run(DiscoverySelector selector, String... config) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter")
                .selectors(selector)
                .configurationParameter(Fixture.Gate.KEY, "true")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false");
        for (int i = 0; i < config.length; i += 2) {
            builder.configurationParameter(config[i], config[i + 1]);
        }
        return builder.execute();
    }

    /** Fails, printing every failure, unless exactly {@code tests} tests ran and all succeeded. */
    static void assertAllSucceeded(EngineExecutionResults results, long tests) {
        List<Throwable> failures = throwables(results.allEvents().failed());
        long succeeded = results.testEvents().succeeded().count();
        if (!failures.isEmpty() || succeeded != tests) {
            throw new AssertionError("expected " + tests + " tests to succeed, " + succeeded + " did; events: "
                    + results.allEvents().stream().map(Event::toString).limit(20).toList() + "; aborted: "
                    + throwables(results.allEvents().aborted()).stream().map(Kit::stackTrace).toList() + "; skipped: "
                    + results.allEvents().skipped().stream().map(e -> e.getTestDescriptor().getDisplayName() + ": "
                            + e.getPayload(String.class).orElse("")).toList()
                    + "; failures:\n" + failures.stream().map(Kit::stackTrace).collect(Collectors.joining("\n")));
        }
    }

    /** Returns the throwables of {@code failed} events. */
    static List<Throwable> throwables(Events events) {
        return events.stream()
                .map(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable))
                .flatMap(java.util.Optional::stream)
                .toList();
    }

    /** Returns the single throwable of the failed test events; fails if there is not exactly one. */
    static Throwable onlyTestFailure(EngineExecutionResults results) {
        List<Throwable> failures = throwables(results.testEvents().failed());
        if (failures.size() != 1) {
            throw new AssertionError("expected exactly one failed test, got " + failures.size() + ":\n"
                    + throwables(results.allEvents().failed()).stream().map(Kit::stackTrace)
                            .collect(Collectors.joining("\n")));
        }
        return failures.get(0);
    }

    /** Returns the single throwable of the failed container events (a class that failed as a whole). */
    static Throwable onlyContainerFailure(EngineExecutionResults results) {
        List<Throwable> failures = throwables(results.containerEvents().failed());
        if (failures.size() != 1) {
            throw new AssertionError("expected exactly one failed container, got " + failures.size() + ":\n"
                    + throwables(results.allEvents().failed()).stream().map(Kit::stackTrace)
                            .collect(Collectors.joining("\n")));
        }
        return failures.get(0);
    }

    /** Returns the report entries published during the run, merged. */
    static List<Map<String, String>> reportEntries(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(Event::getPayload)
                .flatMap(java.util.Optional::stream)
                .map(ReportEntry.class::cast)
                .map(ReportEntry::getKeyValuePairs)
                .toList();
    }

    static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
