package dev.loopback.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code loopback tcp} as a child process between a real echo server and a real client. */
class TcpLinkCliIT {

    private static final Pattern LISTENING = Pattern.compile("listening tcp (\\S+):(\\d+) -> .*");

    private LoopbackSpace space;
    private Endpoint server;

    @BeforeEach
    void startEchoServer() throws IOException {
        space = LoopbackSpace.open();
        ServerSocketChannel channel = space.bind("server");
        server = Endpoint.of((InetSocketAddress) channel.getLocalAddress());
        Thread acceptor = new Thread(() -> {
            try (ServerSocket s = channel.socket()) {
                while (true) {
                    Socket c = s.accept();
                    Thread echo = new Thread(() -> {
                        try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    });
                    echo.setDaemon(true);
                    echo.start();
                }
            } catch (IOException closed) {
                // the space closed the listener
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void closeSpace() {
        space.close();
    }

    private static InetSocketAddress linkAddress(CliProcess cli) {
        Matcher m = LISTENING.matcher(cli.awaitLine(l -> LISTENING.matcher(l).matches()));
        assertThat(m.matches()).isTrue();
        return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
    }

    private static String read(Socket client, int n) throws IOException {
        return new String(client.getInputStream().readNBytes(n), StandardCharsets.US_ASCII);
    }

    @Test
    void partitionHealAndStatsOnStandardInputAsTheClientSeesThem() throws Exception {
        try (CliProcess cli = CliProcess.start("tcp", "--upstream", server.hostPort(), "--seed", "42");
                Socket client = new Socket()) {
            client.connect(linkAddress(cli), 5_000);
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(read(client, 6)).isEqualTo("hello\n");

            cli.send("partition");
            cli.awaitLine("partitioned"::equals);
            out.write("during\n".getBytes(StandardCharsets.US_ASCII));
            client.setSoTimeout(500);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            cli.send("heal");
            cli.awaitLine("healed"::equals);
            client.setSoTimeout(10_000);
            assertThat(read(client, 7)).isEqualTo("during\n");

            await().atMost(CliProcess.WAIT).untilAsserted(() -> {
                cli.send("stats");
                assertThat(cli.out()).anyMatch(l -> l.startsWith("stats accepted=1 active=1 ")
                        && l.contains(" bytesToServer=13 ") && l.contains(" bytesToClient=13 "));
            });

            cli.send("inject latency 200ms");
            cli.awaitLine("fault 1: latency(200ms)"::equals);
            long start = System.nanoTime();
            out.write("slow\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(read(client, 5)).isEqualTo("slow\n");
            assertThat((System.nanoTime() - start) / 1_000_000).as("round trip, ms, 200 ms each way").isGreaterThanOrEqualTo(350);

            cli.send("remove 1");
            cli.awaitLine("removed fault 1: latency(200ms)"::equals);
            cli.send("connections");
            cli.awaitLine(l -> l.startsWith("connection id=1 "));

            cli.interrupt();
            assertThat(cli.awaitExit()).isZero();
            cli.awaitLine(l -> l.startsWith("final stats accepted=1 ") && l.contains(" bytesToServer=18 "));
            assertThat(cli.err()).isEmpty();
        }
    }

    @Test
    void optionsFaultsActFromTheStartStatsComeEveryPeriodAndQuitEndsWithFinalStats() throws Exception {
        try (CliProcess cli = CliProcess.start("tcp", "--upstream", server.hostPort(), "--reset-after", "4B",
                        "--stats-every", "100ms");
                Socket client = new Socket()) {
            cli.awaitLine("fault 1: reset().afterBytes(4)"::equals);
            client.connect(linkAddress(cli), 5_000);
            client.setSoTimeout(10_000);
            client.getOutputStream().write("0123456789".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> {
                InputStream in = client.getInputStream();
                while (in.read() != -1) {
                    // the echo up to the cut, then the reset
                }
            }).isInstanceOf(java.net.SocketException.class).hasMessageContaining("Connection reset");
            cli.awaitLine(l -> l.startsWith("stats accepted=1 ") && l.contains(" resets=1 "));
            cli.send("quit");
            assertThat(cli.awaitExit()).isZero();
            cli.awaitLine(l -> l.startsWith("final stats accepted=1 "));
        }
    }

    @Test
    void httpControlTakesTheSameCommands() throws Exception {
        try (CliProcess cli = CliProcess.start("tcp", "--upstream", server.hostPort(), "--control", "127.0.0.1:0")) {
            Matcher m = Pattern.compile(".*; control http://(\\S+)$").matcher(cli.awaitLine(l -> l.contains("; control http://")));
            assertThat(m.matches()).isTrue();
            URI uri = URI.create("http://" + m.group(1) + "/");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> partitioned = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("partition")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(partitioned.statusCode()).isEqualTo(200);
            assertThat(partitioned.body()).isEqualTo("partitioned\n");
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("inject latency 5x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).startsWith("error: Invalid value for option '--latency': bad duration '5x'");
            cli.closeInput(); // with --control, end of input does not end the link
            HttpResponse<String> stats = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stats.body()).startsWith("stats accepted=0 ");
            http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("quit")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(cli.awaitExit()).isZero();
        }
    }

    @Test
    void anUnreachableUpstreamIsOneLineAndItsExitCode() throws Exception {
        Endpoint nobody = space.endpoint("nobody");
        try (CliProcess cli = CliProcess.start("tcp", "--upstream", nobody.hostPort())) {
            assertThat(cli.awaitExit()).isEqualTo(ExitCode.UPSTREAM_UNREACHABLE);
            assertThat(cli.awaitErrLine(l -> true))
                    .isEqualTo("loopback: upstream " + nobody.hostPort() + " unreachable: Connection refused (is the server running?)");
            assertThat(cli.err()).hasSize(1);
        }
    }

    @Test
    void aControlAddressInUseIsOneLineAndItsExitCode() throws Exception {
        ServerSocketChannel taken = space.bind("taken");
        String address = Endpoint.of((InetSocketAddress) taken.getLocalAddress()).hostPort();
        try (CliProcess cli = CliProcess.start("tcp", "--upstream", server.hostPort(), "--control", address)) {
            assertThat(cli.awaitExit()).isEqualTo(ExitCode.ADDRESS_IN_USE);
            assertThat(cli.awaitErrLine(l -> true)).isEqualTo("loopback: --control " + address
                    + ": address in use (another process listens there; pick another port or 0)");
            assertThat(cli.err()).hasSize(1);
        }
    }

    @Test
    void listenPutsTheLinkOnTheGivenAddress() throws Exception {
        Endpoint front = space.endpoint("front");
        try (CliProcess cli = CliProcess.start("tcp", "--upstream", server.hostPort(), "--listen", front.hostPort());
                Socket client = new Socket()) {
            assertThat(linkAddress(cli)).isEqualTo(front.socketAddress());
            client.connect(front.socketAddress(), 5_000);
            client.setSoTimeout(10_000);
            client.getOutputStream().write("via --listen\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(read(client, 13)).isEqualTo("via --listen\n");
            cli.send("quit");
            assertThat(cli.awaitExit()).isZero();
        }
    }

    @Test
    void aListenAddressInUseIsOneLineNamingItsHolderAndItsExitCode() throws Exception {
        ServerSocketChannel taken = space.bind("taken");
        String address = Endpoint.of((InetSocketAddress) taken.getLocalAddress()).hostPort();
        try (CliProcess cli = CliProcess.start("tcp", "--upstream", server.hostPort(), "--listen", address)) {
            assertThat(cli.awaitExit()).isEqualTo(ExitCode.ADDRESS_IN_USE);
            assertThat(cli.awaitErrLine(l -> true))
                    .startsWith("loopback: --listen " + address + ": address in use (")
                    .contains("held by pid " + ProcessHandle.current().pid())
                    .endsWith("); pick another port, 0, or leave --listen out for a leased host");
            assertThat(cli.err()).hasSize(1);
        }
    }
}
