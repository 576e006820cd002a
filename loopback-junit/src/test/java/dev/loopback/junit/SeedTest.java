package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.TcpLink;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.BitSet;
import dev.loopback.LoopbackSpace;
import dev.loopback.junit.internal.FailureReport;
import dev.loopback.junit.internal.SeedDerivation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Run seeds, space seeds, and what a failing test reports to replay it. */
@ResourceLock("SeedTest fixtures") // the runs share the fixtures' static maps
class SeedTest {

    private static final Pattern REPLAY = Pattern.compile("@LoopbackSeed\\((-?\\d+)L?\\)");

    private static long printedRunSeed(Throwable failure) {
        assertThat(failure.getSuppressed()).hasSize(1);
        Throwable report = failure.getSuppressed()[0];
        assertThat(report).isInstanceOf(FailureReport.LoopbackReplay.class);
        Matcher m = REPLAY.matcher(report.getMessage());
        assertThat(m.find()).as("replay annotation in: " + report.getMessage()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void failingTestCarriesTheReplayAnnotationSeedsAndReportEntries() {
        EngineExecutionResults results = Kit.run(Fails.class);
        List<Throwable> failures = Kit.throwables(results.testEvents().failed());
        assertThat(failures).hasSize(2);
        long runSeed = printedRunSeed(failures.get(0));
        assertThat(printedRunSeed(failures.get(1))).as("one run seed for the run").isEqualTo(runSeed);
        assertThat(failures.get(0).getSuppressed()[0].getMessage())
                .contains("test space: seed " + Fails.SEEDS.get(testOf(failures.get(0))))
                .contains("loopback.seed=" + runSeed);
        assertThat(Fails.SEEDS.get("first")).isNotEqualTo(Fails.SEEDS.get("second"));
        assertThat(Kit.reportEntries(results)).anySatisfy(entry -> assertThat(entry)
                .containsEntry("loopback.run.seed", Long.toString(runSeed))
                .containsEntry("loopback.replay", FailureReport.annotation(runSeed))
                .containsEntry("loopback.test.space.seed", Long.toString(Fails.SEEDS.get("first"))));
    }

    @Test
    void printedRunSeedReplaysATestAloneWithTheSameSpaceSeed() {
        long runSeed = printedRunSeed(Kit.throwables(Kit.run(Fails.class).testEvents().failed()).get(0));
        long first = Fails.SEEDS.get("first");
        Fails.SEEDS.clear();
        Kit.run(selectMethod(Fails.class, "first", LoopbackSpace.class.getName()), LoopbackSettings.SEED,
                Long.toString(runSeed));
        assertThat(Fails.SEEDS).containsOnlyKeys("first").containsEntry("first", first);
    }

    @Test
    void printedSeedOfAFailingTestReproducesItsLinkDecisions() {
        Throwable failure = Kit.onlyTestFailure(Kit.run(ResetsHalf.class));
        long runSeed = printedRunSeed(failure);
        BitSet first = ResetsHalf.RESETS.remove("last");
        assertThat(first.cardinality()).as("about half of %d reset: %s", ResetsHalf.CONNECTIONS, first)
                .isBetween(ResetsHalf.CONNECTIONS / 5, ResetsHalf.CONNECTIONS * 4 / 5);
        assertThat(failure.getSuppressed()[0].getMessage()).as("the report carries the link's statistics")
                .contains("link api ").contains("resets=" + first.cardinality());

        Kit.onlyTestFailure(Kit.run(selectMethod(ResetsHalf.class, "resetsAboutHalf",
                ServerSocket.class.getName() + "," + Endpoint.class.getName() + "," + LoopbackSpace.class.getName()),
                LoopbackSettings.SEED, Long.toString(runSeed)));
        assertThat(ResetsHalf.RESETS.remove("last")).as("replayed alone with the printed seed").isEqualTo(first);

        Kit.onlyTestFailure(Kit.run(ResetsHalf.class, LoopbackSettings.SEED, Long.toString(runSeed + 1)));
        assertThat(ResetsHalf.RESETS.remove("last")).as("another seed, other decisions").isNotEqualTo(first);
    }

    @Test
    void annotationGivesTheSameSeedsAsTheConfigurationParameterAndBeatsIt() {
        Kit.assertAllSucceeded(Kit.run(Annotated.class, LoopbackSettings.SEED, "1"), 2);
        Map<String, Long> withParameterOne = Map.copyOf(Annotated.SEEDS);
        Kit.assertAllSucceeded(Kit.run(Annotated.class, LoopbackSettings.SEED, "42"), 2);
        assertThat(Annotated.SEEDS.get("annotated")).as("@LoopbackSeed(42) beats loopback.seed")
                .isEqualTo(withParameterOne.get("annotated"));
        assertThat(Annotated.SEEDS.get("plain")).as("loopback.seed=42 equals @LoopbackSeed(42) on the class")
                .isEqualTo(withParameterOne.get("plain"));
    }

    @Test
    void failureInALifecycleMethodCarriesTheReportToo() {
        Throwable failure = Kit.onlyTestFailure(Kit.run(FailsBeforeEach.class));
        assertThat(failure).hasMessage("setup failed");
        assertThat(printedRunSeed(failure)).isEqualTo(99);
        assertThat(failure.getSuppressed()[0].getMessage()).contains("@LoopbackSeed(99)")
                .contains("class FailsBeforeEach space: seed")
                .contains("hosts {db=" + FailsBeforeEach.DB.get("db").address().getHostAddress());
    }

    @Test
    void abortedTestIsNotDecorated() {
        var results = Kit.run(Aborts.class);
        assertThat(results.testEvents().aborted().count()).isOne();
        Throwable abort = Kit.throwables(results.testEvents().aborted()).get(0);
        assertThat(abort.getSuppressed()).isEmpty();
    }

    @Test
    void spaceSeedIgnoresWhereTheEngineSitsSoSuitesReplayToo() {
        String alone = "[engine:junit-jupiter]/[class:a.B]/[method:c()]";
        String inSuite = "[engine:junit-platform-suite]/[suite:a.S]/[engine:junit-jupiter]/[class:a.B]/[method:c()]";
        assertThat(SeedDerivation.spaceSeed(7, inSuite)).isEqualTo(SeedDerivation.spaceSeed(7, alone));
        assertThat(SeedDerivation.spaceSeed(7, alone)).isNotEqualTo(SeedDerivation.spaceSeed(8, alone));
        assertThat(SeedDerivation.spaceSeed(7, alone))
                .isNotEqualTo(SeedDerivation.spaceSeed(7, "[engine:junit-jupiter]/[class:a.B]/[method:d()]"));
    }

    @Test
    void derivationIsStableAcrossVersions() {
        // Pinned: printed seeds must replay with later versions. Change only with a release note.
        assertThat(SeedDerivation.spaceSeed(42, "[engine:junit-jupiter]/[class:a.B]/[method:c()]"))
                .isEqualTo(PINNED);
    }

    // computed independently from the formula documented on @LoopbackSeed (FNV-1a 64, SplitMix64 finalizer)
    private static final long PINNED = -2172960623470487130L;

    private static String testOf(Throwable failure) {
        return failure.getMessage().contains("first") ? "first" : "second";
    }

    // ------------------------------------------------------------------ fixtures

    @Fixture
    @LoopbackTest
    static class Fails {
        static final Map<String, Long> SEEDS = new ConcurrentHashMap<>();

        @Test
        void first(LoopbackSpace space) {
            SEEDS.put("first", space.seed());
            fail("first");
        }

        @Test
        void second(LoopbackSpace space) {
            SEEDS.put("second", space.seed());
            fail("second");
        }
    }

    @Fixture
    @LoopbackTest
    static class ResetsHalf {
        static final int CONNECTIONS = 40;
        static final Map<String, BitSet> RESETS = new ConcurrentHashMap<>();

        @Test
        void resetsAboutHalf(@LoopbackAddress("api") ServerSocket server, @LoopbackAddress("api") Endpoint api,
                LoopbackSpace space) throws Exception {
            BitSet reset = new BitSet();
            try (EchoServer echo = new EchoServer(server)) {
                TcpLink link = space.link("api", api);
                link.inject(Fault.reset().probability(0.5));
                for (int i = 0; i < CONNECTIONS; i++) {
                    try (Socket client = new Socket(link.endpoint().address(), link.endpoint().port())) {
                        client.setSoTimeout(10_000);
                        client.getOutputStream().write(1);
                        if (client.getInputStream().read() != 1) {
                            reset.set(i);
                        }
                    } catch (IOException resetByTheLink) {
                        reset.set(i);
                    }
                }
            }
            RESETS.put("last", reset);
            fail("the resilience check failed: connections " + reset + " were reset");
        }
    }

    @Fixture
    @LoopbackTest
    @LoopbackSeed(42)
    static class Annotated {
        static final Map<String, Long> SEEDS = new ConcurrentHashMap<>();

        @Test
        @LoopbackSeed(42)
        void annotated(LoopbackSpace space) {
            SEEDS.put("annotated", space.seed());
        }

        @Test
        void plain(LoopbackSpace space) {
            SEEDS.put("plain", space.seed());
        }
    }

    @Fixture
    @LoopbackTest
    @LoopbackSeed(99)
    static class FailsBeforeEach {
        static final Map<String, Endpoint> DB = new ConcurrentHashMap<>();
        @LoopbackAddress("db") static Endpoint db;

        @BeforeEach
        void setUp() {
            DB.put("db", db);
            throw new IllegalStateException("setup failed");
        }

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class Aborts {
        @Test
        void test(LoopbackSpace space) {
            org.junit.jupiter.api.Assumptions.abort("not here");
        }
    }
}
