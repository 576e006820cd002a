package dev.loopback.cli;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.Link;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpFault;
import dev.loopback.TcpLink;
import dev.loopback.UdpFault;
import dev.loopback.UdpLink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.jspecify.annotations.Nullable;

/**
 * {@code loopback tcp} and {@code loopback udp}: one link on a leased loopback host (or on
 * {@code --listen}) in front of {@code --upstream}, faults from the options, live control on standard input (and on
 * {@code --control}), final stats on {@code quit}, end of input or SIGINT.
 */
abstract class LinkCommand<F extends Fault, L extends Link<F>> extends IoCommand {

    /** The link's name in its space (and in its events). */
    static final String LINK_NAME = "link-1";

    /** How long the TCP upstream probe waits for the handshake. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    @Option(names = "--upstream", required = true, paramLabel = "HOST:PORT", converter = Converters.AddressConverter.class,
            description = "Where the link forwards to, as in 127.0.0.1:5432.")
    @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
    Address upstream;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = Converters.AddressConverter.class,
            description = "Listen here instead of on a leased loopback host, as in 127.0.0.1:5433 (an IPv4 loopback"
                    + " address; port 0 for any). The lease does not cover it: another process may hold the port.")
    @Nullable Address listen;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random decision (jitter, loss, ...); random unless given.")
    @Nullable Long seed;

    @Option(names = "--stats-every", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Print a stats line every DURATION (1s).")
    @Nullable Duration statsEvery;

    @Option(names = "--control", paramLabel = "HOST:PORT", converter = Converters.AddressConverter.class,
            description = "Also take the control commands over HTTP on this loopback address: POST the command as the body.")
    @Nullable Address control;

    @Mixin
    @SuppressWarnings("NullAway.Init") // picocli creates and fills it before call()
    FaultOptions faultOptions;

    abstract String protocol();

    abstract List<F> faults(FaultOptions options);

    /** Opens the link, on {@code listenAt} if not null. */
    abstract L open(LoopbackSpace space, @Nullable Endpoint listenAt);

    abstract List<? extends Record> connections(L link);

    /** Fails with {@link ExitCode#UPSTREAM_UNREACHABLE} where the protocol can tell before traffic. */
    abstract void probeUpstream();

    @Override
    public Integer call() throws Exception {
        List<F> initial = faults(faultOptions); // bad faults fail before anything is opened
        if (statsEvery != null && statsEvery.isZero()) {
            throw new IllegalArgumentException("--stats-every must be positive, got 0");
        }
        if (control != null) {
            control.requireLoopback("--control");
        }
        if (listen != null) {
            listen.requireIpv4Loopback("--listen");
        }
        probeUpstream();
        LoopbackSpace space = seed == null ? LoopbackSpace.open() : LoopbackSpace.builder().seed(seed).open();
        L link;
        try {
            link = open(space, listen == null ? null : listen.endpoint());
        } catch (UncheckedIOException e) {
            space.close();
            if (listen != null && e.getCause() instanceof BindException) {
                throw new CliException(ExitCode.ADDRESS_IN_USE, "--listen " + listen.text() + ": address in use ("
                        + e.getMessage() + "); pick another port, 0, or leave --listen out for a leased host", e);
            }
            throw e;
        } catch (RuntimeException e) {
            space.close();
            throw e;
        }
        Control<F> controller = new Control<>(link, this::faults, () -> connections(link));
        AtomicBoolean finished = new AtomicBoolean();
        CountDownLatch quit = new CountDownLatch(1);
        HttpControl http = null;
        ScheduledExecutorService ticker = null;
        Thread hook = null;
        try {
            for (F f : initial) {
                io.out().println(controller.inject(f));
            }
            if (control != null) {
                http = HttpControl.start(control, controller, quit::countDown);
            }
            io.out().println("listening " + protocol() + " " + link.endpoint().hostPort() + " -> " + upstream.text()
                    + " (seed " + space.seed() + ")" + (http == null ? "" : "; control http://" + http.address()));
            HttpControl server = http;
            hook = new Thread(() -> {
                if (finished.compareAndSet(false, true)) { // SIGINT, SIGTERM: final stats, then exit 0
                    finish(controller, space, server);
                    Runtime.getRuntime().halt(ExitCode.OK);
                }
            }, "loopback-cli-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            if (statsEvery != null) {
                ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "loopback-cli-stats"));
                // The task never throws (a periodic task that throws is never run again, silently), so its
                // Future never completes: nothing to check on it.
                Future<?> unused = ticker.scheduleAtFixedRate(() -> {
                    try {
                        io.out().println(controller.stats());
                    } catch (RuntimeException e) {
                        io.err().println("loopback: stats: " + e);
                    }
                }, statsEvery.toNanos(), statsEvery.toNanos(), TimeUnit.NANOSECONDS);
            }
            daemon(() -> readCommands(controller, quit), "loopback-cli-stdin").start();
            quit.await();
        } finally {
            if (ticker != null) {
                ticker.shutdownNow();
            }
            if (finished.compareAndSet(false, true)) {
                if (hook != null) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
                finish(controller, space, http);
            }
        }
        return ExitCode.OK;
    }

    private void finish(Control<F> controller, LoopbackSpace space, @Nullable HttpControl http) {
        io.out().println("final " + controller.stats());
        io.out().flush();
        if (http != null) {
            http.stop();
        }
        space.close();
    }

    private void readCommands(Control<F> controller, CountDownLatch quit) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                Control.Reply reply = controller.execute(line);
                if (!reply.text().isEmpty()) {
                    io.out().println(reply.text());
                }
                if (reply.quit()) {
                    quit.countDown();
                    return;
                }
            }
            if (control == null) { // end of input ends the link, unless HTTP still controls it
                quit.countDown();
            }
        } catch (IOException e) {
            io.err().println("loopback: cannot read standard input: " + e.getMessage());
            quit.countDown();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Command(name = "tcp", mixinStandardHelpOptions = true,
            description = "Relay TCP from a leased loopback host to --upstream, with faults; control on standard input.")
    static final class Tcp extends LinkCommand<TcpFault, TcpLink> {
        @Override
        String protocol() {
            return "tcp";
        }

        @Override
        List<TcpFault> faults(FaultOptions options) {
            return options.tcpFaults();
        }

        @Override
        TcpLink open(LoopbackSpace space, @Nullable Endpoint listenAt) {
            return listenAt == null ? space.link(LINK_NAME, upstream.endpoint()) : space.link(LINK_NAME, upstream.endpoint(), listenAt);
        }

        @Override
        List<? extends Record> connections(TcpLink link) {
            return link.connections();
        }

        @Override
        void probeUpstream() {
            try (Socket probe = new Socket()) {
                probe.connect(upstream.endpoint().socketAddress(), Math.toIntExact(PROBE_TIMEOUT.toMillis()));
            } catch (ConnectException | SocketTimeoutException e) {
                throw new CliException(ExitCode.UPSTREAM_UNREACHABLE, "upstream " + upstream.text() + " unreachable: "
                        + (e instanceof SocketTimeoutException ? "no answer in " + PROBE_TIMEOUT.toSeconds() + "s" : e.getMessage())
                        + " (is the server running?)", e);
            } catch (IOException e) {
                throw new CliException(ExitCode.UPSTREAM_UNREACHABLE, "upstream " + upstream.text() + " unreachable: " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "udp", mixinStandardHelpOptions = true,
            description = "Relay UDP datagrams from a leased loopback host to --upstream, with faults; control on standard input.")
    static final class Udp extends LinkCommand<UdpFault, UdpLink> {
        @Override
        String protocol() {
            return "udp";
        }

        @Override
        List<UdpFault> faults(FaultOptions options) {
            return options.udpFaults();
        }

        @Override
        UdpLink open(LoopbackSpace space, @Nullable Endpoint listenAt) {
            return listenAt == null ? space.udpLink(LINK_NAME, upstream.endpoint())
                    : space.udpLink(LINK_NAME, upstream.endpoint(), listenAt);
        }

        @Override
        List<? extends Record> connections(UdpLink link) {
            return link.clients();
        }

        @Override
        void probeUpstream() {
            // UDP has no handshake: an absent server shows as datagrams that get no answer.
        }
    }
}
