package dev.loopback.examples.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.Link;
import dev.loopback.TcpLink;
import dev.loopback.UdpLink;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestReporter;

/**
 * Measures one client under each fault of a list, the same way for every client: a first call
 * with no fault (so the client is connected, as an application would be), the fault, one call
 * whose outcome and time are recorded, the fault removed, and calls until one succeeds (10 s at
 * most). Each measurement is a test that fails if the client does not recover, and publishes a
 * {@code catalogue.*} report entry (outcome, time, whether the link saw the fault act on the
 * client's traffic, recovery) that {@code ScenarioReport --catalogue} turns into
 * {@code docs/catalogue.md}. A fault that never acted is recorded as such, not failed: a client
 * that keeps its connection open never meets {@code slowOpen}, a call that closes nothing never
 * meets {@code slowClose}, and a probabilistic fault may spare one call.
 */
final class Measurement {

    /** How long one call may take before it counts as hanging. */
    static final Duration CAP = Duration.ofSeconds(3);

    /** One fault of the catalogue: what is injected and how the table names it. */
    record Case(String name, Fault fault) {
        /** The partition, which is a link operation rather than a fault value. */
        static Case partition() {
            return new Case("partition()", null);
        }
    }

    /** The TCP faults, each with parameters that a client with ~1 s timeouts notices or shrugs off. */
    static final List<Case> TCP = List.of(
            new Case("latency(1 s)", Fault.latency(Duration.ofSeconds(1))),
            new Case("bandwidth(1 KiB/s)", Fault.bandwidth(1024)),
            new Case("loss(0.5), 200 ms stalls", Fault.loss(0.5)),
            new Case("reset()", Fault.reset()),
            new Case("refuse()", Fault.refuse()),
            new Case("blackhole()", Fault.blackhole()),
            new Case("freeze()", Fault.freeze()),
            new Case("cutAfter(16 bytes)", Fault.cutAfter(16)),
            new Case("slowClose(1 s)", Fault.slowClose(Duration.ofSeconds(1))),
            new Case("slice(8 ± 4 bytes, 5 ms)", Fault.slice(8, 4, Duration.ofMillis(5))),
            new Case("slowOpen(1 s)", Fault.slowOpen(Duration.ofSeconds(1))),
            Case.partition());

    /** The UDP faults. */
    static final List<Case> UDP = List.of(
            new Case("latency(1 s)", Fault.latency(Duration.ofSeconds(1))),
            new Case("loss(0.5)", Fault.loss(0.5)),
            new Case("gilbert(0.05, 0.4)", Fault.gilbert(0.05, 0.4)),
            new Case("duplicate(1.0)", Fault.duplicate(1.0)),
            new Case("reorder(0.5, 2)", Fault.reorder(0.5, 2)),
            new Case("corrupt(1.0)", Fault.corrupt(1.0)),
            new Case("truncate(12 bytes)", Fault.truncate(12)),
            new Case("rate(100 B/s)", Fault.rate(100)),
            new Case("blackhole()", Fault.blackhole()),
            new Case("freeze()", Fault.freeze()),
            Case.partition());

    /** Runs the calls: a call that hangs keeps its thread, so never the common pool's. */
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "catalogue-call");
        thread.setDaemon(true);
        return thread;
    });

    /** A client connected through a link, opened afresh for each case. */
    interface Subject extends AutoCloseable {
        /** The link between the client and its server. */
        Link link();

        /** One operation of the client, bounded by its own timeouts; returns what it got. */
        Object call() throws Exception;

        /** Returns a subject that runs {@code call} and, on close, {@code close} and then closes the link. */
        static Subject of(Link link, Callable<?> call, Runnable close) {
            return sharing(link, call, () -> {
                close.run();
                link.close();
            });
        }

        /** Returns a subject on a link that outlives it (one the server advertises): close runs {@code close} only. */
        static Subject sharing(Link link, Callable<?> call, Runnable close) {
            return new Subject() {
                @Override
                public Link link() {
                    return link;
                }

                @Override
                public Object call() throws Exception {
                    return call.call();
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }

    private Measurement() {}

    /** Returns one dynamic test per case, each on a subject from {@code open}. */
    static Stream<DynamicTest> of(String client, List<Case> cases, Set<String> doesNotRecoverFrom,
            Callable<Subject> open, TestReporter reporter) {
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Subject subject = open.call();
            try {
                measure(client, subject.link(), c, subject::call, reporter, doesNotRecoverFrom.contains(c.name()));
            } finally {
                CALLS.execute(() -> { // closing a client whose call hangs may block: not the test's thread
                    try {
                        subject.close();
                    } catch (Exception ignored) {
                        // the case is measured; a client that cannot close cleanly changes nothing
                    }
                });
            }
        }));
    }

    private static void measure(String client, Link link, Case c, Callable<?> call, TestReporter reporter,
            boolean knownNotToRecover) throws Exception {
        String warmUp = recover(call); // connected and working before the fault (a cold JVM may need a retry)
        assertThat(warmUp).as("%s works with no fault before %s", client, c.name()).isNull();
        long before = injected(link, c);
        FaultHandle handle = c.fault() == null ? null : link.inject(c.fault());
        if (handle == null) {
            link.partition();
        }
        long start = System.nanoTime();
        String reports = outcome(call);
        long millis = (System.nanoTime() - start) / 1_000_000;
        boolean acted = c.fault() == null ? link.isPartitioned() : injected(link, c) > before;
        if (handle == null) {
            link.heal();
        } else {
            handle.remove();
        }
        long removed = System.nanoTime();
        String recovered = recover(call);
        long recoveredMillis = (System.nanoTime() - removed) / 1_000_000;

        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("catalogue.client", client);
        entry.put("catalogue.fault", c.name());
        entry.put("catalogue.reports", reports);
        entry.put("catalogue.after", reports.startsWith("no answer") ? "—" : millis + " ms");
        entry.put("catalogue.acted", acted ? "yes" : "no");
        entry.put("catalogue.recovers", recovered == null ? "yes, " + recoveredMillis + " ms after removal"
                : "no: " + recovered);
        reporter.publishEntry(entry);

        if (knownNotToRecover) {
            assertThat(recovered).as("%s was measured not to recover from %s; it does now: update the row", client,
                    c.name()).isNotNull();
        } else {
            assertThat(recovered).as("%s recovers after %s is removed", client, c.name()).isNull();
        }
    }

    private static long injected(Link link, Case c) {
        if (c.fault() == null) {
            return 0;
        }
        return link instanceof TcpLink tcp ? tcp.stats().injected(c.fault().kind())
                : ((UdpLink) link).stats().injected(c.fault().kind());
    }

    /** Runs one call, capped: "ok", the exception the client threw, or "no answer". */
    private static String outcome(Callable<?> call) throws InterruptedException {
        Future<?> future = CALLS.submit(call);
        try {
            Object result = future.get(CAP.toMillis(), TimeUnit.MILLISECONDS);
            return "ok: " + result;
        } catch (ExecutionException e) {
            return describe(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            return "no answer within " + CAP.toSeconds() + " s (the call hangs)";
        }
    }

    /** Calls until one succeeds, for 10 s; returns null on success, else the last failure. */
    private static String recover(Callable<?> call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String last = null;
        while (System.nanoTime() < deadline) {
            last = outcome(call);
            if (last.startsWith("ok")) {
                return null;
            }
        }
        return last;
    }

    /** The exception as a developer would match it: class, and the first line of its message. */
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        if (message.length() > 110) {
            message = message.substring(0, 107) + "...";
        }
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
