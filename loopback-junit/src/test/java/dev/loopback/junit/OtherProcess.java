package dev.loopback.junit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loopback.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process other than this JVM that listens on an endpoint, as any program on the machine may:
 * {@code python3} (a TCP socket bound and listening, Python's defaults), run as this user or as the
 * user {@code nobody} (through {@code runuser}, which needs root). Where that is not possible the
 * calling test is skipped, saying why.
 */
final class OtherProcess implements AutoCloseable {

    /** Who the process runs as. */
    enum As { THIS_USER, NOBODY }

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path RUNUSER = Path.of("/usr/sbin/runuser");
    private static final String LISTEN = "import os, socket, sys\n"
            + "s = socket.socket()\n"
            + "s.bind((sys.argv[1], int(sys.argv[2])))\n"
            + "s.listen()\n"
            + "print('LISTENING', os.getpid(), flush=True)\n"
            + "sys.stdin.read()\n";

    private final Process process;
    private final String firstLine;

    private OtherProcess(Process process) throws Exception {
        this.process = process;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "reading its output failed: " + e;
            }
        }).get(60, TimeUnit.SECONDS);
    }

    /** Skips the calling test unless a process can run {@code as} that user here. */
    static void assumePossible(As as) {
        assumeTrue(Files.isExecutable(PYTHON), "another process listening needs " + PYTHON + ", which this machine lacks");
        if (as == As.NOBODY) {
            assumeTrue(System.getProperty("user.name").equals("root"), "running a process as user nobody needs runuser"
                    + " as root; this JVM runs as " + System.getProperty("user.name"));
            assumeTrue(Files.isExecutable(RUNUSER), "running a process as user nobody needs " + RUNUSER
                    + ", which this machine lacks");
        }
    }

    /** Starts a process that listens on {@code endpoint}; fails unless it does. */
    static OtherProcess listen(As as, Endpoint endpoint) throws Exception {
        List<String> command = new ArrayList<>();
        if (as == As.NOBODY) {
            command.addAll(List.of(RUNUSER.toString(), "-u", "nobody", "--"));
        }
        command.addAll(List.of(PYTHON.toString(), "-c", LISTEN, endpoint.hostText(), Integer.toString(endpoint.port())));
        OtherProcess started = new OtherProcess(new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        if (started.firstLine == null || !started.firstLine.startsWith("LISTENING ")) {
            started.close();
            throw new AssertionError("the other process did not listen on " + endpoint + ": " + started.firstLine);
        }
        return started;
    }

    /** Returns the listening process's id (not {@code runuser}'s). */
    long pid() {
        return Long.parseLong(firstLine.substring("LISTENING ".length()).trim());
    }

    /** Returns the user it runs as. */
    static String user(As as) {
        return as == As.NOBODY ? "nobody" : System.getProperty("user.name");
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
