package dev.loopback.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.testing.process.LeaseDenialProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A socket of another user on the wildcard's sentinel port makes every lease fail; the message
 * says who and what to do. Runs the scenario in a network namespace of its own
 * ({@code unshare -n}, as root), since the squatter can bind the wildcard only where no process
 * holds a lease — and on a shared machine some always does.
 */
@ResourceLock(HostLeaseAcrossJvmsTest.SPAWNS_CHILD_JVMS)
class LeaseDenialTest {

    @Test
    void aWildcardListenerOfAnotherUserOnTheSentinelPortIsNamedWithPidUserAndAddress() throws Exception {
        List<String> out = runInOwnNetworkNamespace("listen", "NOBODY");
        String pid = line(out, "SQUATTER ");
        assertThat(pid).as("the squatter bound 0.0.0.0:65535").matches("\\d+");
        assertThat(line(out, "MESSAGE "))
                .contains("address pool 127.77.0.0/29 is exhausted")
                .contains("A wildcard listener on [::]:65535 (every IPv6 and IPv4 address, 0.0.0.0:65535 included),"
                        + " held by pid " + pid + " (java, user nobody), takes port 65535 on every address")
                .contains("Stop that process or bind its socket to one address, then lease again.");
    }

    @Test
    void aWildcardSocketBoundWithoutListeningOnTheSentinelPortIsNamedByAddressWithWhatToDo() throws Exception {
        List<String> out = runInOwnNetworkNamespace("bind", "NOBODY");
        assertThat(line(out, "SQUATTER ")).as("the squatter bound 0.0.0.0:65535").matches("\\d+");
        assertThat(line(out, "MESSAGE "))
                .contains("A socket bound to port 65535 of the wildcard address (0.0.0.0:65535 or [::]:65535)"
                        + " without listening takes that port on every address")
                .contains("Close it, then lease again.");
    }

    private static List<String> runInOwnNetworkNamespace(String mode, String as) throws IOException, InterruptedException {
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"),
                "a network namespace of its own (unshare -n) needs root; this JVM runs as " + System.getProperty("user.name"));
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && Files.isExecutable(Path.of("/usr/sbin/ip")),
                "needs /usr/bin/unshare and /usr/sbin/ip for a network namespace of its own");
        Process probe = new ProcessBuilder("/usr/bin/unshare", "-n", "true").start();
        Assumptions.assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "unshare -n is not allowed here (a container without CAP_SYS_ADMIN?)");

        Process process = new ProcessBuilder("/usr/bin/unshare", "-n", "sh", "-c", "/usr/sbin/ip link set lo up && exec \"$0\" \"$@\"",
                ProcessHandle.current().info().command().orElseThrow(), "-XX:TieredStopAtLevel=1", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), LeaseDenialProbe.class.getName(), mode, as)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        byte[] bytes = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }

    private static String line(List<String> out, String prefix) {
        return out.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + prefix + "...' in the probe's output " + out));
    }
}
