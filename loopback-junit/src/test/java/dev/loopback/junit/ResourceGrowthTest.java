package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Hundreds of tests through the extension leave no file descriptor or thread behind.
 * {@code @Isolated}: it counts the process's descriptors and threads, which concurrent tests change.
 */
@Isolated
class ResourceGrowthTest {

    static final int TESTS = 100;
    /** Slack for the JVM's own descriptors and threads; a leak per test would show as hundreds. */
    static final int SLACK = 8;

    private static long fileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void manyTestsLeaveNoDescriptorOrThreadBehind() throws IOException {
        Kit.assertAllSucceeded(Kit.run(ServesAndConnects.class), TESTS); // warm-up: classes, pools
        long fdsBefore = fileDescriptors();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        Kit.assertAllSucceeded(Kit.run(ServesAndConnects.class), TESTS);
        assertThat(fileDescriptors()).as("file descriptors").isLessThanOrEqualTo(fdsBefore + SLACK);
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).as("threads")
                .isLessThanOrEqualTo(threadsBefore + SLACK);
    }

    @Fixture
    @LoopbackTest
    static class ServesAndConnects {
        @RepeatedTest(TESTS)
        void test(@LoopbackAddress("web") ServerSocketChannel server, @LoopbackAddress("web") Endpoint web,
                @LoopbackAddress("other") Endpoint other) throws IOException {
            try (SocketChannel client = SocketChannel.open(web.socketAddress());
                    SocketChannel accepted = server.accept()) {
                assertThat(accepted.getRemoteAddress()).isEqualTo(client.getLocalAddress());
            }
        }
    }
}
