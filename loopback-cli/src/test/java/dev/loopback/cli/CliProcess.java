package dev.loopback.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The built {@code loopback.jar} as a child process, its output collected line by line. */
final class CliProcess implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final PrintStream stdin;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();

    private CliProcess(Process process) {
        this.process = process;
        this.stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        collect(process.getInputStream(), out);
        collect(process.getErrorStream(), err);
    }

    static CliProcess start(String... args) throws IOException {
        Path jar = Path.of(System.getProperty("loopback.cli.jar", "target/loopback.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is not built: the *IT tests run after package (mvn verify)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new CliProcess(new ProcessBuilder(command).start());
    }

    private static void collect(InputStream stream, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "cli-output");
        t.setDaemon(true);
        t.start();
    }

    /** Sends one command line on standard input. */
    void send(String line) {
        stdin.println(line);
    }

    /** Closes standard input. */
    void closeInput() {
        stdin.close();
    }

    /** Waits for a line of standard output matching {@code match} and returns the first such line. */
    String awaitLine(Predicate<String> match) {
        return awaitIn(out, match);
    }

    /** Waits for a line of standard error matching {@code match} and returns the first such line. */
    String awaitErrLine(Predicate<String> match) {
        return awaitIn(err, match);
    }

    private String awaitIn(List<String> lines, Predicate<String> match) {
        return await().atMost(WAIT).until(() -> lines.stream().filter(match).findFirst().orElse(null), l -> l != null);
    }

    List<String> out() {
        return List.copyOf(out);
    }

    List<String> err() {
        return List.copyOf(err);
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the process to exit and returns its exit code (its last lines may still be in collection: use {@link #awaitLine}). */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("loopback did not exit in " + WAIT + "; output " + out + ", errors " + err);
        }
        return process.exitValue();
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -INT " + process.pid() + " failed");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
