package dev.loopback.testing.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@link Squatter} running in another process — a child JVM of this user, or of the user
 * {@code nobody} through {@code runuser} where this JVM runs as root and the tool exists (else the
 * test is skipped with the reason). Tests that start one hold
 * {@code HostLeaseAcrossJvmsTest.SPAWNS_CHILD_JVMS}.
 */
public final class SquatterProcess implements AutoCloseable {

    /** Who the squatter runs as. */
    public enum As { THIS_USER, NOBODY }

    private final Process process;
    private final String firstLine;

    private SquatterProcess(Process process) throws Exception {
        this.process = process;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "FAILED reading the squatter: " + e;
            }
        }).get(60, TimeUnit.SECONDS);
    }

    /** Starts a squatter that listens on {@code host:port}, or tries to. */
    public static SquatterProcess listen(As as, String host, int port) throws Exception {
        return start(as, "listen", host, port);
    }

    /** Starts a squatter that binds {@code host:port} without listening, or tries to. */
    public static SquatterProcess bind(As as, String host, int port) throws Exception {
        return start(as, "bind", host, port);
    }

    private static SquatterProcess start(As as, String mode, String host, int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>();
        if (as == As.NOBODY) {
            assumeAnotherUserPossible();
            command.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        command.addAll(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m",
                "-cp", ownClassDirectory(), Squatter.class.getName(), mode, host, Integer.toString(port)));
        return new SquatterProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    private static void assumeAnotherUserPossible() {
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"),
                "running a squatter as user nobody needs runuser as root; this JVM runs as " + System.getProperty("user.name"));
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")),
                "running a squatter as user nobody needs runuser, which this machine lacks");
    }

    private static String ownClassDirectory() throws URISyntaxException {
        return Path.of(Squatter.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Returns true if the squatter bound what it was asked to; else {@link #outcome()} says why not. */
    public boolean bound() {
        return firstLine != null && firstLine.startsWith("BOUND ");
    }

    /** Returns what the squatter printed: {@code BOUND <pid>} or {@code FAILED <exception>}. */
    public String outcome() {
        return firstLine;
    }

    /** Returns the process id of the squatter that bound (not of {@code runuser}, which runs it as nobody). */
    public long pid() {
        assertThat(bound()).as("squatter bound: %s", firstLine).isTrue();
        return Long.parseLong(firstLine.substring("BOUND ".length()));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException gone) {
            // it exited already
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
