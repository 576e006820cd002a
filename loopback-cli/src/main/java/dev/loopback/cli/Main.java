package dev.loopback.cli;

import dev.loopback.LoopbackUnavailableException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.CharBuffer;
import java.util.Arrays;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * {@code loopback}: links, leases and the socket inspector from the shell. Every failure is one
 * line on standard error and an {@link ExitCode}; {@code --debug} adds the stack trace.
 */
@Command(name = "loopback", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Real loopback links with faults, leases and socket inspection, from the shell.",
        subcommands = {LinkCommand.Tcp.class, LinkCommand.Udp.class, LeaseCommand.class, ListenersCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (quit, end of input, SIGINT, listing printed)",
            "1:unexpected failure",
            "2:unknown option or command, missing option",
            "3:bad value (unit, number, range, non-loopback address)",
            "4:address in use",
            "5:upstream unreachable",
            "6:loopback hosts or socket tables unavailable"})
public final class Main {

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
    boolean debug;

    /** The streams a command talks through: the process's own, or a test's. */
    record Io(InputStream in, PrintStream out, PrintStream err) {}

    private Main() {}

    /** Runs {@code loopback} and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(new Io(System.in, System.out, System.err), args));
    }

    /** Runs {@code loopback} with {@code args} on {@code io} and returns the exit code. */
    static int run(Io io, String... args) {
        CommandLine line = new CommandLine(new Main(), new Factory(io));
        boolean debug = Arrays.asList(args).contains("--debug");
        line.setOut(writer(io.out()));
        line.setErr(writer(io.err()));
        line.setParameterExceptionHandler((e, a) -> {
            io.err().println("loopback: " + e.getMessage());
            if (debug) {
                e.printStackTrace(io.err());
            }
            // Picocli throws a plain ParameterException for a value it could not convert, subclasses
            // for unknown, missing or repeated options.
            return e.getClass() == ParameterException.class ? ExitCode.BAD_VALUE : ExitCode.USAGE;
        });
        line.setExecutionExceptionHandler((e, l, parsed) -> {
            io.err().println("loopback: " + message(e));
            if (debug) {
                e.printStackTrace(io.err());
            }
            return exitCode(e);
        });
        return line.execute(args);
    }

    /**
     * A writer for picocli onto {@code stream} that encodes as the stream itself does (System.out's
     * charset is the terminal's, which on JDK 18+ need not be the JVM's default one).
     */
    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new Writer() {
            @Override
            public void write(char[] chars, int offset, int length) {
                stream.append(CharBuffer.wrap(chars, offset, length));
            }

            @Override
            public void flush() {
                stream.flush();
            }

            @Override
            public void close() {
                stream.flush();
            }
        }, true);
    }

    private static String message(Exception e) {
        return e instanceof CliException || e instanceof IllegalArgumentException || e instanceof LoopbackUnavailableException
                ? Objects.requireNonNullElse(e.getMessage(), e.toString())
                : e + (e.getCause() == null ? "" : " (" + e.getCause() + ")") + " (run with --debug for the stack trace)";
    }

    private static int exitCode(Exception e) {
        if (e instanceof CliException cli) {
            return cli.exitCode();
        }
        if (e instanceof IllegalArgumentException) {
            return ExitCode.BAD_VALUE;
        }
        if (e instanceof LoopbackUnavailableException || e instanceof UnsupportedOperationException) {
            return ExitCode.UNAVAILABLE;
        }
        return ExitCode.FAILED;
    }

    /** Gives each command the streams of this run. */
    private record Factory(Io io) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            K made = CommandLine.defaultFactory().create(type);
            if (made instanceof IoCommand command) {
                command.io(io);
            }
            return made;
        }
    }
}
