package dev.loopback.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.Fault;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineParsingTest {

    /** The exit code and the standard error of one in-process run. */
    record Run(int code, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new Main.Io(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), args);
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpIsPrintedWholeOnStandardOutputInTheStreamsCharset() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new Main.Io(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_16BE), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                "--help");
        assertThat(code).isZero();
        // UTF-16 bytes read back as UTF-16: picocli's writer encoded through the stream, not the JVM's default charset.
        assertThat(out.toString(StandardCharsets.UTF_16BE)).startsWith("Usage: loopback").contains("tcp", "udp", "lease", "listeners");
    }

    @Test
    void versionIsTheOneTheBuildWasMadeAs() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new Main.Io(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                "--version");
        assertThat(code).isZero();
        // The filtered version.properties: a number, not the unfiltered placeholder.
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).matches("loopback \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "50ms   | PT0.05S",
        "1.5s   | PT1.5S",
        "250us  | PT0.00025S",
        "7ns    | PT0.000000007S",
        "2m     | PT2M",
        "1h     | PT1H",
        "1d     | PT24H"})
    void durationsTakeEveryUnit(String text, Duration expected) {
        assertThat(Units.duration(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "100   | 100", "100B | 100", "10KiB | 10240", "1MiB | 1048576", "1GiB | 1073741824",
        "1KB   | 1000", "1.5KB | 1500", "2MB | 2000000", "1GB | 1000000000"})
    void sizesTakeDecimalAndBinaryUnits(String text, long expected) {
        assertThat(Units.size(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1MiB/s | 1048576", "64KB/s | 64000", "500B/s | 500", "8Mbit/s | 1000000", "8kbit/s | 1000",
        "1Gbit/s | 125000000", "800bit/s | 100", "1GiB/s | 1073741824"})
    void ratesTakeBytesOrBitsPerSecond(String text, long expected) {
        assertThat(Units.rate(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1% | 0.01", "0.5% | 0.005", "0.25 | 0.25", "100% | 1.0"})
    void probabilitiesArePercentagesOrFractions(String text, double expected) {
        assertThat(Units.probability(text)).isEqualTo(expected);
    }

    @Test
    void everyTcpFaultOptionMakesTheFactorysFault() {
        FaultOptions o = FaultOptions.parseInject(List.of(
                "--latency", "50ms", "--jitter", "5ms", "--bandwidth", "1MiB/s", "--loss", "1%", "--reset-after", "10KiB",
                "--cut-after", "1KB", "--cut-after-age", "2s", "--reset", "--blackhole", "--freeze", "--slow-close", "200ms", "--to-client"));
        assertThat(o.tcpFaults()).containsExactly(
                Fault.latency(Duration.ofMillis(50)).jitter(Duration.ofMillis(5)).toClient(),
                Fault.bandwidth(1 << 20).toClient(),
                Fault.loss(0.01).toClient(),
                Fault.reset().afterBytes(10 * 1024).toClient(),
                Fault.cutAfter(1000).toClient(),
                Fault.cutAfter(Duration.ofSeconds(2)).toClient(),
                Fault.reset().toClient(),
                Fault.blackhole().toClient(),
                Fault.freeze().toClient(),
                Fault.slowClose(Duration.ofMillis(200)).toClient());
        assertThat(FaultOptions.parseInject(List.of("--refuse", "--slow-open", "100ms")).tcpFaults())
                .containsExactly(Fault.refuse(), Fault.slowOpen(Duration.ofMillis(100)));
    }

    @Test
    void everyUdpFaultOptionMakesTheFactorysFault() {
        FaultOptions o = FaultOptions.parseInject(List.of(
                "latency", "5ms", "rate", "64KB/s", "loss", "2%", "duplicate", "3%", "reorder", "4%", "reorder-gap", "2",
                "corrupt", "5%", "truncate", "512", "blackhole", "freeze", "to-server"));
        assertThat(o.udpFaults()).containsExactly(
                Fault.latency(Duration.ofMillis(5)).toServer(),
                Fault.rate(64_000).toServer(),
                Fault.loss(0.02).toServer(),
                Fault.blackhole().toServer(),
                Fault.freeze().toServer(),
                Fault.duplicate(0.03).toServer(),
                Fault.reorder(0.04, 2).toServer(),
                Fault.corrupt(0.05).toServer(),
                Fault.truncate(512).toServer());
    }

    @Test
    void injectWordsWithoutDashesParseAsTheOptions() {
        assertThat(FaultOptions.parseInject(List.of("latency", "50ms")).tcpFaults())
                .isEqualTo(FaultOptions.parseInject(List.of("--latency", "50ms")).tcpFaults())
                .containsExactly(Fault.latency(Duration.ofMillis(50)));
    }

    @Test
    void aFactorysRefusalIsTheCliError() {
        String javaApi = catchMessage(() -> Fault.loss(1.5));
        Run run = run("tcp", "--upstream", "127.0.0.1:9", "--loss", "150%");
        assertThat(run.code()).isEqualTo(ExitCode.BAD_VALUE);
        assertThat(run.err().strip()).isEqualTo("loopback: --loss: " + javaApi);
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("no exception");
    }

    @ParameterizedTest(name = "{0} -> exit {1}")
    @CsvSource(delimiter = '|', value = {
        "tcp --upstream 127.0.0.1:9 --latency 50x        | 3 | Invalid value for option '--latency': bad duration '50x': expected a unit of ns, us, ms, s, m, h or d",
        "tcp --upstream 127.0.0.1:9 --latency fast       | 3 | bad duration 'fast': expected a non-negative number and a unit",
        "tcp --upstream 127.0.0.1:9 --latency -5ms       | 3 | bad duration '-5ms'",
        "tcp --upstream 127.0.0.1:9 --jitter 5ms         | 3 | --jitter needs --latency",
        "tcp --upstream 127.0.0.1:9 --latency 400d       | 3 | --latency: latency delay",
        "tcp --upstream 127.0.0.1:9 --bandwidth 1MiB     | 3 | bad rate '1MiB': expected a size per second",
        "tcp --upstream 127.0.0.1:9 --bandwidth 0B/s     | 3 | --bandwidth: ",
        "tcp --upstream 127.0.0.1:9 --loss 5x            | 3 | bad probability '5x'",
        "tcp --upstream 127.0.0.1:9 --reset-after 10XB   | 3 | bad size '10XB': expected a unit of B, KB, MB, GB, KiB, MiB or GiB",
        "tcp --upstream 127.0.0.1:9 --reset-after 1.5B   | 3 | bad size '1.5B': expected a whole number of bytes",
        "tcp --upstream 127.0.0.1:9 --slow-open 0ms      | 3 | --slow-open: ",
        "tcp --upstream 127.0.0.1:9 --rate 1MiB/s        | 3 | --rate is for UDP links only",
        "udp --upstream 127.0.0.1:9 --reset              | 3 | --reset is for TCP links only",
        "udp --upstream 127.0.0.1:9 --reorder 5% --reorder-gap 0 | 3 | --reorder: ",
        "udp --upstream 127.0.0.1:9 --truncate 1KiBs     | 3 | bad size '1KiBs'",
        "tcp --upstream 127.0.0.1:9 --latency 1ms --to-server --to-client | 3 | --to-server and --to-client exclude each other",
        "tcp --upstream 127.0.0.1:9 --refuse --to-client | 3 | --refuse: refuse() has no direction",
        "tcp --upstream 127.0.0.1:9 --stats-every 0s     | 3 | --stats-every must be positive",
        "tcp --upstream nowhere                          | 3 | bad address 'nowhere': expected HOST:PORT",
        "tcp --upstream 127.0.0.1:70000                  | 3 | bad port in '127.0.0.1:70000': expected 0..65535",
        "tcp --upstream 127.0.0.1:9 --control 8.8.8.8:80 | 3 | --control 8.8.8.8:80 is not a loopback address",
        "tcp --upstream 127.0.0.1:9 --listen 0.0.0.0:5000 | 3 | --listen 0.0.0.0:5000 is not a loopback address: a link listens on an IPv4 loopback address (127.0.0.0/8) only (the wildcard 0.0.0.0 or [::] is reachable from other machines)",
        "udp --upstream 127.0.0.1:9 --listen [::1]:5000  | 3 | --listen [::1]:5000 is an IPv6 address: a link listens on an IPv4 loopback address",
        "tcp --upstream 127.0.0.1:9 --listen 192.0.2.1:80 | 3 | --listen 192.0.2.1:80 is not a loopback address",
        "tcp --upstream 127.0.0.1:9 --seed x             | 3 | Invalid value for option '--seed'",
        "lease --hosts 0                                 | 3 | --hosts 0 must be at least 1",
        "tcp --upstream 127.0.0.1:9 --bogus              | 2 | Unknown option: '--bogus'",
        "tcp                                             | 2 | Missing required option: '--upstream=HOST:PORT'",
        "frobnicate                                      | 2 | Unmatched argument at index 0: 'frobnicate'"})
    void badInputIsOneLineNamingTheValueWithItsExitCode(String args, int code, String message) {
        Run run = run(args.trim().split("\\s+"));
        assertThat(run.code()).isEqualTo(code);
        assertThat(run.err()).contains(message).doesNotContain("\tat ");
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    @Test
    void debugAddsTheStackTrace() {
        Run run = run("tcp", "--upstream", "127.0.0.1:9", "--loss", "150%", "--debug");
        assertThat(run.code()).isEqualTo(ExitCode.BAD_VALUE);
        assertThat(run.err()).contains("\tat dev.loopback.");
    }

    @Test
    void unitsRefuseTheirBadInputDirectly() {
        assertThatThrownBy(() -> Units.duration("5")).hasMessage("bad duration '5': expected a unit of ns, us, ms, s, m, h or d, as in 50ms");
        assertThatThrownBy(() -> Units.probability("5%%")).hasMessageStartingWith("bad probability '5%%'");
    }
}
