package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.LinkEvent;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.junit.internal.Declaration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What a failing test reports: every fault that fired (capped, saying how many were left out), in
 * the suppressed exception, the test's standard output and report entries, without class names of
 * ours.
 */
class FailureReportTest {

    @Test
    @ResourceLock(Resources.SYSTEM_OUT)
    @ResourceLock("FailureReportTest fixtures")
    void everyFaultThatFiredIsListedCappedWithACountOfTheRest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        EngineExecutionResults results;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            results = Kit.run(ManyFaults.class);
        } finally {
            System.setOut(original);
        }
        Throwable failure = Kit.onlyTestFailure(results);
        String report = failure.getSuppressed()[0].getMessage();

        TcpLink many = ManyFaults.LINKS.get("many");
        long distinct = many.events().stream().filter(e -> e.type() == LinkEvent.Type.FAULT_FIRED)
                .map(LinkEvent::detail).distinct().count();
        assertThat(distinct).as("one fault per connection, each fired").isEqualTo(ManyFaults.CONNECTIONS);
        String manySection = section(report, "link many ");
        assertThat(manySection).contains("faults that fired:");
        assertThat(manySection.lines().filter(l -> l.contains(" — on 1 connection (#"))).hasSize(20);
        assertThat(manySection).contains("… and " + (distinct - 20) + " more faults that fired");

        String oneSection = section(report, "link one ");
        String onEvery = " — on " + ManyFaults.CONNECTIONS + " connections (#1, #2,";
        assertThat(oneSection.lines().filter(l -> l.contains(onEvery)))
                .as("one fault on every connection: the first connections named, the rest counted")
                .singleElement().asString().endsWith(" and " + (ManyFaults.CONNECTIONS - 8) + " more)");
        assertThat(oneSection).contains("last 10 of ");

        assertThat(out.toString(StandardCharsets.UTF_8)).as("the report goes to the test's output (Surefire's XML)")
                .contains(report);
        assertThat(Kit.reportEntries(results)).anySatisfy(entry -> assertThat(entry)
                .containsKeys("loopback.replay", "loopback.test.link.many", "loopback.test.link.one"));
    }

    @Test
    @ResourceLock("FailureReportTest fixtures")
    void printedFailureShowsTheReportWithoutClassNamesOfOurs() {
        Throwable failure = Kit.onlyTestFailure(Kit.run(ManyFaults.class));
        String printed = Kit.stackTrace(failure);
        assertThat(printed)
                .contains("\tSuppressed: Loopback: ManyFaults.test failed; replay it alone with @LoopbackSeed(")
                .doesNotContain("dev.loopback.junit.internal").doesNotContain("LoopbackReplay");
    }

    @Test
    @ResourceLock("FailureReportTest fixtures")
    void theReportSaysWhichKernelPathsTheJvmUsed() {
        EngineExecutionResults results = Kit.run(ManyFaults.class);
        String report = Kit.onlyTestFailure(results).getSuppressed()[0].getMessage();

        String line = report.lines().reduce((first, second) -> second).orElseThrow();
        assertThat(line).matches("  kernel paths: socket tables: (netlink sock_diag \\(FFM\\)|/proc/net); UDP links: .+"
                + " \\(JDK " + Runtime.version().feature() + "[,; ].+\\)");
        boolean fromJar = LoopbackSpace.class.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith(".jar");
        if (Boolean.getBoolean("build.loopback.fastPaths") && fromJar) { // the build's JDK 22+ tests, on core's jar
            assertThat(line).contains("netlink sock_diag (FFM)").contains("native access enabled");
        }
        assertThat(Kit.reportEntries(results)).anySatisfy(entry -> assertThat(entry.get("loopback.kernel.paths"))
                .isEqualTo(line.substring("  kernel paths: ".length())));
    }

    @Test
    void hostsOfUnnamedParametersAreNamedByPositionWhenTheCompilerKeptNoNames() throws Exception {
        // JDK classes are compiled without -parameters: their parameters are arg0, arg1, ...
        var valueOf = Integer.class.getMethod("valueOf", int.class).getParameters()[0];
        assertThat(valueOf.isNamePresent()).isFalse();
        assertThat(Declaration.of(valueOf, 0).hostName()).isEqualTo("(parameter 1 of Integer.valueOf(int))");
        var bitCount = Integer.class.getMethod("bitCount", int.class).getParameters()[0];
        assertThat(Declaration.of(bitCount, 0).hostName()).isEqualTo("(parameter 1 of Integer.bitCount)");
    }

    @Test
    void hostsOfUnnamedFieldsAndParametersAreNamedByTheirNames() {
        Kit.assertAllSucceeded(Kit.run(Unnamed.class), 1);
        assertThat(Unnamed.HOSTS.get("hosts"))
                .containsKeys("(Unnamed.web)", "(parameter 'db' of Unnamed.test)");
    }

    private static String section(String report, String start) {
        int from = report.indexOf(start);
        assertThat(from).as(start + " in:\n" + report).isNotNegative();
        int to = report.indexOf("\n    link ", from + 1);
        return report.substring(from, to < 0 ? report.length() : to);
    }

    // ------------------------------------------------------------------ fixtures

    @Fixture
    @LoopbackTest
    static class ManyFaults {
        static final int CONNECTIONS = 25;
        static final Map<String, TcpLink> LINKS = new ConcurrentHashMap<>();

        @Test
        void test(@LoopbackAddress("api") ServerSocket server, @LoopbackAddress("api") Endpoint api,
                LoopbackSpace space) throws Exception {
            try (EchoServer echo = new EchoServer(server)) {
                TcpLink many = space.link("many", api);
                TcpLink one = space.link("one", api);
                LINKS.put("many", many);
                for (int n = 1; n <= CONNECTIONS; n++) {
                    many.inject(Fault.reset().onConnection(n));
                }
                one.inject(Fault.reset());
                for (TcpLink link : List.of(many, one)) {
                    for (int n = 0; n < CONNECTIONS; n++) {
                        try (Socket client = new Socket(link.endpoint().address(), link.endpoint().port())) {
                            client.setSoTimeout(10_000);
                            client.getOutputStream().write(1);
                            client.getInputStream().read();
                        } catch (IOException resetByTheLink) {
                            // what the faults are for
                        }
                    }
                }
            }
            fail("the client did not survive the resets");
        }
    }

    @Fixture
    @LoopbackTest
    static class Unnamed {
        static final Map<String, Map<String, ?>> HOSTS = new ConcurrentHashMap<>();
        @LoopbackAddress Endpoint web;

        @Test
        void test(@LoopbackAddress Endpoint db, @LoopbackAddress LoopbackSpace space) {
            HOSTS.put("hosts", space.hosts());
        }
    }
}
