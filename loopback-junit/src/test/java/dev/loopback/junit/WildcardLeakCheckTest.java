package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.inspect.SocketInspector;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.opentest4j.AssertionFailedError;

/**
 * The leak check sees wildcard listeners ({@code 0.0.0.0}, {@code [::]}) the test opened and left,
 * not those there before it; it does not blame a test for a listener of another one running beside
 * it, and reports one left by one of several once, when the last of them ended.
 * Isolated: a Loopback test of the outer run beside these would make every fixture "not alone".
 */
@Isolated("the fixtures must be the only Loopback tests running, or a wildcard leak is only a warning")
class WildcardLeakCheckTest {

    @BeforeEach
    void needsSocketTables() {
        assumeTrue(SocketInspector.canListListeners(), "the wildcard leak check reads /proc/net (Linux)");
    }

    @Test
    void wildcardListenersLeftOpenFailTheTestNamingBothWildcardsThePortAndTheAcceptingThread() throws Exception {
        Throwable failure;
        try {
            failure = Kit.onlyTestFailure(Kit.run(LeavesWildcardListeners.class, LoopbackSettings.LEAKS_GRACE, "100 ms"));
        } finally {
            closeAll(LeavesWildcardListeners.LEAKED);
        }
        int dualStack = ((ServerSocket) LeavesWildcardListeners.LEAKED.get("dual-stack")).getLocalPort();
        int ipv4 = ((ServerSocketChannel) LeavesWildcardListeners.LEAKED.get("ipv4")).socket().getLocalPort();
        assertThat(failure).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("still listening after the test")
                .hasMessageContaining("tcp [::]:" + dualStack + " (every IPv6 and IPv4 address, 0.0.0.0:" + dualStack
                        + " included), opened by this JVM")
                .hasMessageContaining("tcp 0.0.0.0:" + ipv4 + " (every IPv4 address), opened by this JVM")
                .hasMessageContaining("instead of 0.0.0.0 or [::]")
                .hasMessageContaining("thread \"leaky-acceptor\" in " + LeavesWildcardListeners.class.getName());
    }

    @Test
    void aWildcardListenerOpenBeforeTheTestStartedIsNotItsLeak() throws Exception {
        try (ServerSocket before = new ServerSocket(0)) {
            var results = Kit.run(Clean.class, LoopbackSettings.LEAKS_GRACE, "100 ms");
            Kit.assertAllSucceeded(results, 1);
            assertThat(Kit.reportEntries(results)).as("no warning about [::]:%s", before.getLocalPort())
                    .noneSatisfy(e -> assertThat(e.toString()).contains(":" + before.getLocalPort()));
        }
    }

    @Test
    void aWildcardListenerOpenedWhileAnotherTestRanIsOneWarningNamingBothOnceBothEnded() throws Exception {
        var results = Kit.run(TwoAtOnce.class, PARALLEL);
        int port;
        try {
            Kit.assertAllSucceeded(results, 2);
            port = ((ServerSocket) TwoAtOnce.LEAKED.get("dual-stack")).getLocalPort();
        } finally {
            closeAll(TwoAtOnce.LEAKED);
        }
        assertThat(Kit.reportEntries(results)).filteredOn(e -> e.containsKey("loopback.leaks.wildcard"))
                .singleElement()
                .satisfies(e -> assertThat(e.get("loopback.leaks.wildcard"))
                        .contains("[::]:" + port + " (every IPv6 and IPv4 address, 0.0.0.0:" + port + " included)")
                        .contains("TwoAtOnce.leaves()").contains("TwoAtOnce.closesEverything()")
                        .contains("not counted as a leak"));
    }

    @Test
    void aWildcardListenerInUseByATestStillRunningIsNotReportedWhenAnotherEnds() throws Exception {
        var results = Kit.run(OneHoldsWhileTheOtherEnds.class, PARALLEL);
        Kit.assertAllSucceeded(results, 2);
        assertThat(Kit.reportEntries(results)).noneSatisfy(e -> assertThat(e).containsKey("loopback.leaks.wildcard"));
    }

    private static final String[] PARALLEL = {"junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"};

    private static void closeAll(Map<String, Closeable> leaked) throws IOException {
        for (Closeable c : leaked.values()) {
            c.close();
        }
    }

    @Fixture
    @LoopbackTest
    static class LeavesWildcardListeners {
        static final Map<String, Closeable> LEAKED = new ConcurrentHashMap<>();

        @Test
        void leavesTwoWildcardListeners(@LoopbackAddress Endpoint web) throws IOException {
            ServerSocket dualStack = new ServerSocket(0); // Java's default: [::] in the kernel's tables
            LEAKED.put("dual-stack", dualStack);
            ServerSocketChannel ipv4 = ServerSocketChannel.open(StandardProtocolFamily.INET)
                    .bind(new InetSocketAddress("0.0.0.0", 0));
            LEAKED.put("ipv4", ipv4);
            Thread acceptor = new Thread(() -> serve(dualStack), "leaky-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void serve(ServerSocket server) {
            try {
                server.accept().close();
            } catch (IOException closed) {
                // the test closed it
            }
        }
    }

    @Fixture
    @LoopbackTest
    static class Clean {
        @Test
        void closesItsServer(@LoopbackAddress Endpoint web) throws IOException {
            try (ServerSocket server = new ServerSocket(web.port(), 50, web.address())) {
                assertThat(server.isBound()).isTrue();
            }
        }
    }

    @Fixture
    @LoopbackTest
    static class OneHoldsWhileTheOtherEnds {
        static final CyclicBarrier BOTH_STARTED = new CyclicBarrier(2);
        static final CountDownLatch OPEN = new CountDownLatch(1);
        static final AtomicReference<LoopbackSpace> OTHER = new AtomicReference<>();

        @Test
        void servesOnTheWildcardUntilTheOtherWasChecked(@LoopbackAddress Endpoint web) throws Exception {
            BOTH_STARTED.await(30, TimeUnit.SECONDS);
            try (ServerSocket inUse = new ServerSocket(0)) {
                OPEN.countDown();
                // the other test's space closes once its leak check is done
                await().atMost(Duration.ofSeconds(30)).until(() -> OTHER.get() != null && OTHER.get().isClosed());
            }
        }

        @Test
        void endsWhileTheOtherServes(@LoopbackAddress Endpoint web, LoopbackSpace space) throws Exception {
            BOTH_STARTED.await(30, TimeUnit.SECONDS);
            assertThat(OPEN.await(30, TimeUnit.SECONDS)).isTrue();
            OTHER.set(space);
        }
    }

    @Fixture
    @LoopbackTest
    static class TwoAtOnce {
        static final Map<String, Closeable> LEAKED = new ConcurrentHashMap<>();
        static final CyclicBarrier BOTH_STARTED = new CyclicBarrier(2);
        static final CyclicBarrier LEAK_OPEN = new CyclicBarrier(2);

        @Test
        void leaves(@LoopbackAddress Endpoint web) throws Exception {
            BOTH_STARTED.await(30, TimeUnit.SECONDS);
            LEAKED.put("dual-stack", new ServerSocket(0));
            LEAK_OPEN.await(30, TimeUnit.SECONDS);
        }

        @Test
        void closesEverything(@LoopbackAddress Endpoint web) throws Exception {
            BOTH_STARTED.await(30, TimeUnit.SECONDS);
            LEAK_OPEN.await(30, TimeUnit.SECONDS);
        }
    }
}
