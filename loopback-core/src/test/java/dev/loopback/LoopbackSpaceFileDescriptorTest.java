package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Spaces leave no file descriptor behind. Isolated because it counts the descriptors of the whole
 * JVM, which tests running alongside would open and close at the same time.
 */
@Isolated
class LoopbackSpaceFileDescriptorTest {

    private static final Path FDS = Path.of("/proc/self/fd");

    @Test
    void tenThousandSpacesLeaveNoFileDescriptorOpen() {
        cycles(100); // warm up: classes loaded, the platform probed, the pool created
        long before = openFileDescriptors();

        cycles(10_000);

        // Every socket is closed synchronously; the wait only covers descriptors the JVM itself
        // may be finishing with (none were ever observed), so it is short and exact.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openFileDescriptors()).isEqualTo(before));
    }

    private static void cycles(int count) {
        for (int i = 0; i < count; i++) {
            try (LoopbackSpace space = LoopbackSpace.open()) {
                space.endpoint("a");
                space.bind("b");
            }
        }
    }

    private static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
