package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * 64 tests at once, each binding port 8080 on its own host and serving it: isolation under
 * JUnit's concurrent mode, with a barrier proving that all 64 listeners are up at the same time.
 */
class ParallelTest {

    static final int TESTS = 64;

    @Test
    void sixtyFourConcurrentTestsEachServePort8080OnTheirOwnHost() {
        ServesPort8080.BARRIER.reset();
        ServesPort8080.HOSTS.clear();
        var results = EngineTestKit.engine("junit-jupiter")
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(ServesPort8080.class))
                .configurationParameter(Fixture.Gate.KEY, "true")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.executor-service", "FORK_JOIN_POOL")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism",
                        Integer.toString(TESTS))
                .execute();
        Kit.assertAllSucceeded(results, TESTS);
        assertThat(ServesPort8080.HOSTS).as("64 distinct hosts").hasSize(TESTS);
    }

    @Fixture
    @LoopbackTest
    static class ServesPort8080 {
        static final CyclicBarrier BARRIER = new CyclicBarrier(TESTS);
        static final Set<String> HOSTS = ConcurrentHashMap.newKeySet();

        @RepeatedTest(TESTS)
        void servesItsOwnHostOnPort8080(@LoopbackAddress(value = "web", port = 8080) ServerSocketChannel server,
                @LoopbackAddress(value = "web", port = 8080) Endpoint endpoint) throws Exception {
            assertThat(endpoint.port()).isEqualTo(8080);
            HOSTS.add(endpoint.address().getHostAddress());
            ExecutorService acceptor = Executors.newSingleThreadExecutor();
            try {
                Future<?> serving = acceptor.submit(() -> {
                    try (SocketChannel peer = server.accept()) {
                        peer.write(StandardCharsets.US_ASCII.encode(endpoint.hostPort()));
                    }
                    return null;
                });
                awaitEveryTest(); // every one of the 64 listeners is bound now
                try (SocketChannel client = SocketChannel.open(endpoint.socketAddress())) {
                    assertThat(read(client)).as("reached its own server").isEqualTo(endpoint.hostPort());
                }
                serving.get(30, TimeUnit.SECONDS);
            } finally {
                acceptor.shutdownNow();
                assertThat(acceptor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
        }

        /**
         * Waits at the barrier as a managed blocker, so that JUnit's fork-join pool adds a thread for
         * each test blocked here instead of leaving queued tests without one.
         */
        private static void awaitEveryTest() throws InterruptedException {
            ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
                private boolean passed;

                @Override
                public boolean block() throws InterruptedException {
                    try {
                        BARRIER.await(60, TimeUnit.SECONDS);
                    } catch (BrokenBarrierException | TimeoutException e) {
                        throw new IllegalStateException("not all " + TESTS + " tests were running at once", e);
                    }
                    passed = true;
                    return true;
                }

                @Override
                public boolean isReleasable() {
                    return passed;
                }
            });
        }

        private static String read(SocketChannel channel) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            while (channel.read(buffer) >= 0) {
                // reads to EOF: the server closes after writing
            }
            buffer.flip();
            return StandardCharsets.US_ASCII.decode(buffer).toString();
        }
    }
}
