package dev.loopback.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code loopback udp} as a child process between a real UDP echo server and a real client. */
class UdpLinkCliIT {

    private static final Pattern LISTENING = Pattern.compile("listening udp (\\S+):(\\d+) -> .*");

    private LoopbackSpace space;
    private DatagramSocket echo;
    private DatagramSocket client;

    @BeforeEach
    void startEchoServer() throws IOException {
        space = LoopbackSpace.open();
        echo = new DatagramSocket(new InetSocketAddress(space.host("server"), 0));
        Thread echoing = new Thread(() -> {
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            try {
                while (true) {
                    echo.receive(packet);
                    echo.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
                    packet.setLength(2048);
                }
            } catch (IOException closed) {
                // the test closed the server
            }
        }, "udp-echo");
        echoing.setDaemon(true);
        echoing.start();
        client = new DatagramSocket(new InetSocketAddress(space.host("client"), 0));
    }

    @AfterEach
    void close() {
        client.close();
        echo.close();
        space.close();
    }

    private String roundTrip(InetSocketAddress link, String text, int timeoutMillis) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        client.send(new DatagramPacket(bytes, bytes.length, link));
        client.setSoTimeout(timeoutMillis);
        DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
        client.receive(reply);
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void injectClearEventsAndStatsOnStandardInputAsTheClientSeesThem() throws Exception {
        String upstream = Endpoint.of((InetSocketAddress) echo.getLocalSocketAddress()).hostPort();
        try (CliProcess cli = CliProcess.start("udp", "--upstream", upstream, "--seed", "7")) {
            Matcher m = LISTENING.matcher(cli.awaitLine(l -> LISTENING.matcher(l).matches()));
            assertThat(m.matches()).isTrue();
            InetSocketAddress link = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
            assertThat(roundTrip(link, "one", 10_000)).isEqualTo("one");

            cli.send("inject loss 100% to-server");
            cli.awaitLine("fault 1: loss(1.0).toServer()"::equals);
            assertThatThrownBy(() -> roundTrip(link, "lost", 500)).isInstanceOf(SocketTimeoutException.class);

            cli.send("clear");
            cli.awaitLine("cleared"::equals);
            assertThat(roundTrip(link, "three", 10_000)).isEqualTo("three");

            cli.send("events");
            cli.awaitLine(l -> l.contains("FAULT_INJECTED") && l.contains("loss(1.0).toServer()"));
            cli.awaitLine(l -> l.contains("FAULT_REMOVED"));
            await().atMost(CliProcess.WAIT).untilAsserted(() -> {
                cli.send("stats");
                assertThat(cli.out()).anyMatch(l -> l.startsWith("stats datagramsToServer=2 datagramsToClient=2 ")
                        && l.contains("LOSS=1") && l.contains(" clients=1 "));
            });
            cli.send("quit");
            assertThat(cli.awaitExit()).isZero();
            cli.awaitLine(l -> l.startsWith("final stats datagramsToServer=2 "));
            assertThat(cli.err()).isEmpty();
        }
    }
}
