package dev.loopback.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.loopback.LoopbackSpace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Leases are exclusive across JVMs, and the kernel frees them when a JVM is killed. */
class HostLeaseAcrossJvmsTest {

    private static final long CHURN_MILLIS = 2_500;

    /** A child JVM running {@link LeaseChild}, with its stdout collected line by line. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader;

        Child(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                    "-cp", System.getProperty("java.class.path"), LeaseChild.class.getName()));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            reader = new Thread(this::readLines, "lease-child-" + process.pid());
            reader.start();
        }

        private void readLines() {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException streamClosedByKill) {
                // the child was killed; what it printed so far is in lines
            }
        }

        String nextLine() throws InterruptedException {
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertThat(line).as("a line from child %s within 60 s", process.pid()).isNotNull();
            return line;
        }

        void go() {
            try {
                Writer in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
                in.write("GO\n");
                in.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private record Held(String host, long child, long acquired, long released) {}

    @Test
    void fourJvmsLeasingConcurrentlyNeverHoldTheSameHostAtOnce() throws Exception {
        String pool = PrivatePools.random(27);
        List<Child> children = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                children.add(new Child("churn", pool, Long.toString(CHURN_MILLIS)));
            }
            for (Child child : children) {
                assertThat(child.nextLine()).isEqualTo("READY");
            }
            children.forEach(Child::go);

            List<Held> held = new ArrayList<>();
            for (Child child : children) {
                for (String line = child.nextLine(); !line.startsWith("DONE"); line = child.nextLine()) {
                    String[] f = line.split(" ");
                    assertThat(f[0]).isEqualTo("HELD");
                    held.add(new Held(f[1], child.process.pid(), Long.parseLong(f[2]), Long.parseLong(f[3])));
                }
                assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(child.process.exitValue()).isZero();
            }

            Map<String, List<Held>> byHost = new HashMap<>();
            held.forEach(h -> byHost.computeIfAbsent(h.host(), k -> new ArrayList<>()).add(h));
            List<String> overlaps = new ArrayList<>();
            Set<String> sharedByJvms = new HashSet<>();
            for (List<Held> spans : byHost.values()) {
                spans.sort(Comparator.comparingLong(Held::acquired));
                for (int i = 1; i < spans.size(); i++) {
                    Held before = spans.get(i - 1);
                    Held after = spans.get(i);
                    if (after.acquired() <= before.released()) {
                        overlaps.add(before + " overlaps " + after);
                    }
                    if (after.child() != before.child()) {
                        sharedByJvms.add(after.host());
                    }
                }
            }
            assertThat(overlaps).as("hosts held by two live spaces at once").isEmpty();
            // The test can fail only if the JVMs really competed for the same hosts.
            assertThat(held.stream().map(Held::child).distinct()).hasSize(4);
            assertThat(sharedByJvms).as("hosts that passed from one JVM to another").hasSizeGreaterThan(8);
        } finally {
            for (Child child : children) {
                child.close();
            }
        }
    }

    @Test
    void hostsOfKilledJvmAreLeasableAgainWithoutCleanup() throws Exception {
        String pool = PrivatePools.random(30);
        Set<String> childHosts = new HashSet<>();
        try (Child child = new Child("hold", pool, "4")) {
            assertThat(child.nextLine()).isEqualTo("READY");
            child.go();
            for (int i = 0; i < 4; i++) {
                childHosts.add(child.nextLine().substring("HELD ".length()));
            }
            assertThat(childHosts).hasSize(4);
            try (LoopbackSpace space = LoopbackSpace.builder().pool(pool).open()) {
                assertThatIllegalStateException()
                        .isThrownBy(() -> space.host("any"))
                        .withMessageContaining("is exhausted");
            }

            child.process.destroyForcibly(); // SIGKILL: the child runs no shutdown code at all
            assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.process.exitValue()).isEqualTo(128 + 9);
        }

        try (LoopbackSpace space = LoopbackSpace.builder().pool(pool).open()) {
            Set<String> leasedAgain = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                leasedAgain.add(space.host("h" + i).getHostAddress());
            }
            assertThat(leasedAgain).isEqualTo(childHosts);
        }
    }
}
