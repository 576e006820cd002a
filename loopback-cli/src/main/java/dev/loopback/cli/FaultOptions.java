package dev.loopback.cli;

import dev.loopback.Direction;
import dev.loopback.Fault;
import dev.loopback.Latency;
import dev.loopback.ScopedFault;
import dev.loopback.TcpFault;
import dev.loopback.UdpFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.jspecify.annotations.Nullable;

/**
 * The fault options, shared by {@code loopback tcp}, {@code loopback udp} (as a mixin) and the
 * {@code inject} control command (parsed on their own), so a fault reads the same everywhere:
 * {@code --latency 50ms --jitter 5ms}, or {@code inject latency 50ms jitter 5ms}. Each option
 * becomes one call of a {@link Fault} factory, which checks its range.
 */
@Command(name = "inject", mixinStandardHelpOptions = false)
final class FaultOptions {

    @Option(names = "--latency", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Delay data by DURATION (50ms, 1.5s) each way. TCP, UDP.")
    @Nullable Duration latency;

    @Option(names = "--jitter", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Spread each --latency delay by DURATION (uniform).")
    @Nullable Duration jitter;

    @Option(names = "--bandwidth", paramLabel = "RATE", converter = Converters.RateConverter.class,
            description = "Limit throughput to RATE (1MiB/s, 8Mbit/s). TCP.")
    @Nullable Long bandwidth;

    @Option(names = "--rate", paramLabel = "RATE", converter = Converters.RateConverter.class,
            description = "Queue datagrams to leave at RATE (1MiB/s). UDP.")
    @Nullable Long rate;

    @Option(names = "--loss", paramLabel = "PERCENT", converter = Converters.ProbabilityConverter.class,
            description = "Lose PERCENT (1%, 0.01) of TCP segments (each stalls 200ms, bytes kept) or of datagrams.")
    @Nullable Double loss;

    @Option(names = "--reset-after", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
            description = "Reset each connection with RST once SIZE (10KiB) has passed. TCP.")
    @Nullable Long resetAfter;

    @Option(names = "--cut-after", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
            description = "Close each connection with FIN once SIZE has passed (the peer reads exactly SIZE, then EOF). TCP.")
    @Nullable Long cutAfter;

    @Option(names = "--cut-after-age", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Close each connection with FIN once it is DURATION old. TCP.")
    @Nullable Duration cutAfterAge;

    @Option(names = "--reset", description = "Reset connections with RST at once. TCP.")
    boolean reset;

    @Option(names = "--refuse", description = "Refuse new connections (the listener closes). TCP.")
    boolean refuse;

    @Option(names = "--blackhole", description = "Discard data while connections stay open. TCP, UDP.")
    boolean blackhole;

    @Option(names = "--freeze", description = "Hold data until the fault is removed. TCP, UDP.")
    boolean freeze;

    @Option(names = "--slow-open", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Delay forwarding each new connection by DURATION. TCP.")
    @Nullable Duration slowOpen;

    @Option(names = "--slow-close", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Delay passing on each close by DURATION. TCP.")
    @Nullable Duration slowClose;

    @Option(names = "--duplicate", paramLabel = "PERCENT", converter = Converters.ProbabilityConverter.class,
            description = "Duplicate PERCENT of datagrams. UDP.")
    @Nullable Double duplicate;

    @Option(names = "--reorder", paramLabel = "PERCENT", converter = Converters.ProbabilityConverter.class,
            description = "Hold back PERCENT of datagrams by --reorder-gap datagrams. UDP.")
    @Nullable Double reorder;

    @Option(names = "--reorder-gap", paramLabel = "N", defaultValue = "1",
            description = "How many datagrams a reordered one is overtaken by (default ${DEFAULT-VALUE}).")
    int reorderGap;

    @Option(names = "--corrupt", paramLabel = "PERCENT", converter = Converters.ProbabilityConverter.class,
            description = "Flip one bit in PERCENT of datagrams. UDP.")
    @Nullable Double corrupt;

    @Option(names = "--truncate", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
            description = "Cut datagrams to at most SIZE. UDP.")
    @Nullable Long truncate;

    @Option(names = "--to-server", description = "Apply these faults client -> server only.")
    boolean toServer;

    @Option(names = "--to-client", description = "Apply these faults server -> client only.")
    boolean toClient;

    /** One fault made from one option, with the option's name for messages. */
    record Made(String option, Fault fault) {}

    /**
     * Makes the faults the options name, in option order of this class.
     *
     * @throws IllegalArgumentException as the factories throw it, prefixed with the option
     */
    List<Made> faults() {
        List<Made> made = new ArrayList<>();
        if (jitter != null && latency == null) {
            throw new IllegalArgumentException("--jitter needs --latency");
        }
        if (latency != null) {
            Duration value = latency; // a local, which the lambda below (and each one after) sees non-null
            add(made, "--latency", () -> {
                Latency l = Fault.latency(value);
                Duration spread = jitter;
                return spread == null ? l : l.jitter(spread);
            });
        }
        if (bandwidth != null) {
            long value = bandwidth;
            add(made, "--bandwidth", () -> Fault.bandwidth(value));
        }
        if (rate != null) {
            long value = rate;
            add(made, "--rate", () -> Fault.rate(value));
        }
        if (loss != null) {
            double value = loss;
            add(made, "--loss", () -> Fault.loss(value));
        }
        if (resetAfter != null) {
            long value = resetAfter;
            add(made, "--reset-after", () -> Fault.reset().afterBytes(value));
        }
        if (cutAfter != null) {
            long value = cutAfter;
            add(made, "--cut-after", () -> Fault.cutAfter(value));
        }
        if (cutAfterAge != null) {
            Duration value = cutAfterAge;
            add(made, "--cut-after-age", () -> Fault.cutAfter(value));
        }
        if (reset) {
            add(made, "--reset", Fault::reset);
        }
        if (refuse) {
            add(made, "--refuse", Fault::refuse);
        }
        if (blackhole) {
            add(made, "--blackhole", Fault::blackhole);
        }
        if (freeze) {
            add(made, "--freeze", Fault::freeze);
        }
        if (slowOpen != null) {
            Duration value = slowOpen;
            add(made, "--slow-open", () -> Fault.slowOpen(value));
        }
        if (slowClose != null) {
            Duration value = slowClose;
            add(made, "--slow-close", () -> Fault.slowClose(value));
        }
        if (duplicate != null) {
            double value = duplicate;
            add(made, "--duplicate", () -> Fault.duplicate(value));
        }
        if (reorder != null) {
            double value = reorder;
            add(made, "--reorder", () -> Fault.reorder(value, reorderGap));
        }
        if (corrupt != null) {
            double value = corrupt;
            add(made, "--corrupt", () -> Fault.corrupt(value));
        }
        if (truncate != null) {
            long value = truncate;
            add(made, "--truncate", () -> Fault.truncate(Math.toIntExact(Math.min(value, Integer.MAX_VALUE + 1L))));
        }
        if (toServer && toClient) {
            throw new IllegalArgumentException("--to-server and --to-client exclude each other (give neither for both directions)");
        }
        Direction direction = toServer ? Direction.TO_SERVER : toClient ? Direction.TO_CLIENT : Direction.BOTH;
        if (direction == Direction.BOTH) {
            return made;
        }
        List<Made> directed = new ArrayList<>();
        for (Made m : made) {
            add(directed, m.option(), () -> ((ScopedFault<?>) m.fault()).direction(direction));
        }
        return directed;
    }

    /** Returns the faults for a TCP link, refusing the UDP-only ones by option. */
    List<TcpFault> tcpFaults() {
        List<TcpFault> faults = new ArrayList<>();
        for (Made m : faults()) {
            if (!(m.fault() instanceof TcpFault tcp)) {
                throw new IllegalArgumentException(m.option() + " is for UDP links only; a TCP link takes "
                        + "--latency, --bandwidth, --loss, --reset-after, --cut-after, --cut-after-age, --reset, --refuse, --blackhole, "
                        + "--freeze, --slow-open, --slow-close");
            }
            faults.add(tcp);
        }
        return faults;
    }

    /** Returns the faults for a UDP link, refusing the TCP-only ones by option. */
    List<UdpFault> udpFaults() {
        List<UdpFault> faults = new ArrayList<>();
        for (Made m : faults()) {
            if (!(m.fault() instanceof UdpFault udp)) {
                throw new IllegalArgumentException(m.option() + " is for TCP links only; a UDP link takes "
                        + "--latency, --rate, --loss, --blackhole, --freeze, --duplicate, --reorder, --corrupt, --truncate");
            }
            faults.add(udp);
        }
        return faults;
    }

    private static void add(List<Made> made, String option, java.util.function.Supplier<? extends Fault> factory) {
        try {
            made.add(new Made(option, factory.get()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the words of an {@code inject} command: the same options, with or without their
     * leading {@code --} ({@code inject latency 50ms jitter 5ms to-client}).
     *
     * @throws CommandLine.ParameterException for an unknown option or a bad value
     */
    static FaultOptions parseInject(List<String> words) {
        FaultOptions options = new FaultOptions();
        CommandLine line = new CommandLine(options);
        List<String> args = new ArrayList<>();
        for (String w : words) {
            String dashed = "--" + w.toLowerCase(Locale.ROOT);
            args.add(!w.startsWith("-") && line.getCommandSpec().findOption(dashed) != null ? dashed : w);
        }
        line.parseArgs(args.toArray(String[]::new));
        return options;
    }
}
