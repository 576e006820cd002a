package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/**
 * The leak check after each test and class, in each mode. Every fixture records what it leaves
 * open in its own static map, so that these tests close it and can run in parallel.
 */
class LeakCheckTest {

    private static final String SHORT_GRACE = "100 ms";

    /** Runs {@code fixture}, then closes what it left open. Tests of one fixture do not run at once. */
    private static EngineExecutionResults run(Class<?> fixture, Map<String, Closeable> leaked, String... config)
            throws IOException {
        try {
            return Kit.run(fixture, config);
        } finally {
            for (Closeable c : leaked.values()) {
                c.close();
            }
        }
    }

    @Test
    @ResourceLock("LeaksServer") // these runs share the fixture\'s static maps
    void serverLeftListeningFailsTheTestNamingHostPortAndKind() throws IOException {
        Throwable failure = Kit.onlyTestFailure(run(LeaksServer.class, LeaksServer.LEAKED, LoopbackSettings.LEAKS_GRACE, SHORT_GRACE));
        Endpoint web = LeaksServer.ENDPOINTS.get("web");
        assertThat(failure).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("still listening after the test")
                .hasMessageContaining("tcp " + web.hostPort() + " (host \"web\")")
                .hasMessageContaining("waited 100 ms");
        assertThat(LeaksServer.SPACES.get("web").isClosed()).as("the space is closed after the check").isTrue();
    }

    @Test
    void warnModePassesAndReportsTheLeak() throws IOException {
        var results = run(WarnsAboutServer.class, WarnsAboutServer.LEAKED, LoopbackSettings.LEAKS_GRACE, SHORT_GRACE);
        Kit.assertAllSucceeded(results, 1);
        assertThat(Kit.reportEntries(results)).anySatisfy(entry -> assertThat(entry.get("loopback.leaks"))
                .contains("tcp " + WarnsAboutServer.ENDPOINTS.get("web").hostPort()));
    }

    @Test
    @ResourceLock("LeaksServer") // these runs share the fixture\'s static maps
    void offModeDoesNotCheck() throws IOException {
        var results = run(LeaksServer.class, LeaksServer.LEAKED, LoopbackSettings.LEAKS, "off");
        Kit.assertAllSucceeded(results, 1);
        assertThat(Kit.reportEntries(results)).noneSatisfy(e -> assertThat(e).containsKey("loopback.leaks"));
    }

    @Test
    void methodAnnotationBeatsClassAnnotationAndConfiguration() throws IOException {
        Throwable failure = Kit.onlyTestFailure(run(MethodOverridesClass.class, MethodOverridesClass.LEAKED, LoopbackSettings.LEAKS, "warn"));
        assertThat(failure).hasMessageContaining("tcp " + MethodOverridesClass.ENDPOINTS.get("web").hostPort());
    }

    @Test
    void boundUdpSocketLeftOpenFails() throws IOException {
        Throwable failure = Kit.onlyTestFailure(run(LeaksUdp.class, LeaksUdp.LEAKED, LoopbackSettings.LEAKS_GRACE, SHORT_GRACE));
        assertThat(failure).hasMessageContaining("udp " + LeaksUdp.ENDPOINTS.get("dns").hostPort() + " (host \"dns\")");
    }

    @Test
    void socketsTheTestDroppedPassWhetherOrNotAGarbageCollectionRanMeanwhile() {
        // the JDK closes an unreferenced DatagramChannel or ServerSocket when it collects it; with no
        // grace the check would fail unless a collection happened to run, so it runs one before failing
        var results = Kit.run(DropsSockets.class, LoopbackSettings.LEAKS_GRACE, "0 s");
        Kit.assertAllSucceeded(results, 1);
        assertThat(Kit.reportEntries(results)).filteredOn(e -> e.containsKey("loopback.leaks"))
                .allSatisfy(e -> assertThat(e.get("loopback.leaks"))
                        .contains("until a garbage collection closed them").contains("Close it in the test"));
    }

    @Test
    void serverThatClosesWithinTheGracePeriodPasses() {
        Kit.assertAllSucceeded(Kit.run(ClosesAsynchronously.class, LoopbackSettings.LEAKS_GRACE, "10 s"), 1);
    }

    @Test
    void classScopedServerLeftListeningFailsTheClass() throws IOException {
        var results = run(LeaksAfterClass.class, LeaksAfterClass.LEAKED, LoopbackSettings.LEAKS_GRACE, SHORT_GRACE);
        assertThat(results.testEvents().succeeded().count()).isOne();
        assertThat(Kit.onlyContainerFailure(results))
                .hasMessageContaining("still listening after the class")
                .hasMessageContaining("tcp " + LeaksAfterClass.ENDPOINTS.get("db").hostPort() + " (host \"db\")");
    }

    @Test
    @ResourceLock("LeaksServer") // these runs share the fixture\'s static maps
    void worksWhenTheStoreDoesNotCloseAutoCloseables() throws IOException {
        var results = run(LeaksServer.class, LeaksServer.LEAKED, LoopbackSettings.LEAKS_GRACE, SHORT_GRACE,
                "junit.jupiter.extensions.store.close.autocloseable.enabled", "false");
        assertThat(Kit.onlyTestFailure(results)).hasMessageContaining(LeaksServer.ENDPOINTS.get("web").hostPort());
        assertThat(LeaksServer.SPACES.get("web").isClosed()).isTrue();
        assertThat(LeaksServer.SPACES.get("class").isClosed()).isTrue();
    }

    @Test
    void cleanTestPassesWithoutWaiting() {
        long start = System.nanoTime();
        Kit.assertAllSucceeded(Kit.run(Clean.class, LoopbackSettings.LEAKS_GRACE, "1 m"), 1);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("seconds").isLessThan(30);
    }

    @Test
    void testThatClosesItsSpaceItselfIsNotCheckedAgainstHostsItGaveBack() {
        Kit.assertAllSucceeded(Kit.run(ClosesItsSpace.class), 1);
    }

    // ------------------------------------------------------------------ fixtures

    static ServerSocket serve(Endpoint endpoint) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(endpoint.socketAddress());
        return server;
    }

    @Fixture
    @LoopbackTest
    static class LeaksServer {
        static final Map<String, Closeable> LEAKED = new ConcurrentHashMap<>();
        static final Map<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();
        static final Map<String, LoopbackSpace> SPACES = new ConcurrentHashMap<>();

        @BeforeAll
        static void classSpace(LoopbackSpace space) {
            SPACES.put("class", space);
        }

        @Test
        void leavesAServerListening(@LoopbackAddress("web") Endpoint web, LoopbackSpace space) throws IOException {
            ENDPOINTS.put("web", web);
            SPACES.put("web", space);
            LEAKED.put("web", serve(web));
        }
    }

    @Fixture
    @LoopbackTest
    @LoopbackLeaks(LeakMode.WARN)
    static class WarnsAboutServer {
        static final Map<String, Closeable> LEAKED = new ConcurrentHashMap<>();
        static final Map<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();

        @Test
        void leavesAServerListening(@LoopbackAddress("web") Endpoint web) throws IOException {
            ENDPOINTS.put("web", web);
            LEAKED.put("web", serve(web));
        }
    }

    @Fixture
    @LoopbackTest
    @LoopbackLeaks(LeakMode.OFF)
    static class MethodOverridesClass {
        static final Map<String, Closeable> LEAKED = new ConcurrentHashMap<>();
        static final Map<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();

        @Test
        @LoopbackLeaks(value = LeakMode.FAIL, grace = "50 ms")
        void leavesAServerListening(@LoopbackAddress("web") Endpoint web) throws IOException {
            ENDPOINTS.put("web", web);
            LEAKED.put("web", serve(web));
        }
    }

    @Fixture
    @LoopbackTest
    static class LeaksUdp {
        static final Map<String, Closeable> LEAKED = new ConcurrentHashMap<>();
        static final Map<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();

        @Test
        void leavesADatagramSocketBound(@LoopbackAddress("dns") InetAddress dns) throws IOException {
            DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress(dns, 0));
            LEAKED.put("dns", channel);
            ENDPOINTS.put("dns", Endpoint.of((InetSocketAddress) channel.getLocalAddress()));
        }
    }

    @Fixture
    @LoopbackTest
    static class DropsSockets {
        @Test
        void dropsADatagramChannelAndAServerSocket(@LoopbackAddress("dns") InetAddress dns,
                @LoopbackAddress("web") Endpoint web) throws IOException {
            DatagramChannel.open().bind(new InetSocketAddress(dns, 0));
            serve(web);
        }
    }

    @Fixture
    @LoopbackTest
    static class ClosesAsynchronously {
        @Test
        void stopsItsServerAfterReturning(@LoopbackAddress Endpoint web) throws IOException {
            ServerSocket server = serve(web);
            ScheduledExecutorService stopper = Executors.newSingleThreadScheduledExecutor();
            stopper.schedule(() -> {
                server.close();
                return null;
            }, 300, TimeUnit.MILLISECONDS);
            stopper.shutdown(); // runs the scheduled close, then its thread ends
        }
    }

    @Fixture
    @LoopbackTest
    static class LeaksAfterClass {
        static final Map<String, Closeable> LEAKED = new ConcurrentHashMap<>();
        static final Map<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();

        @BeforeAll
        static void startClassServer(@LoopbackAddress("db") Endpoint db) throws IOException {
            ENDPOINTS.put("db", db);
            LEAKED.put("db", serve(db));
        }

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class ClosesItsSpace {
        @Test
        void closesTheSpace(@LoopbackAddress Endpoint web, LoopbackSpace space) throws IOException {
            try (ServerSocket server = serve(web)) {
                space.close();
                assertThat(space.isClosed()).isTrue();
            }
        }
    }

    @Fixture
    @LoopbackTest
    static class Clean {
        @Test
        void closesItsServer(@LoopbackAddress Endpoint web) throws IOException {
            serve(web).close();
        }
    }
}
