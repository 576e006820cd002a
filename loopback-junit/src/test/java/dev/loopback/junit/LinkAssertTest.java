package dev.loopback.junit;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.FaultKind;
import dev.loopback.LinkEvent;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.UdpLink;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Link assertions against real links, real servers and real clients. */
@LoopbackTest
class LinkAssertTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static byte[] exchange(Endpoint endpoint, String text) throws IOException {
        try (Socket client = new Socket(endpoint.address(), endpoint.port())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            return client.getInputStream().readAllBytes();
        }
    }

    @Test
    void countsForwardedBytesAndConnections(@LoopbackAddress("api") ServerSocket server,
            @LoopbackAddress("api") Endpoint api, LoopbackSpace space) throws Exception {
        try (EchoServer echo = new EchoServer(server)) {
            TcpLink link = space.link("api", api);
            assertThat(new String(exchange(link.endpoint(), "hello"), StandardCharsets.US_ASCII)).isEqualTo("hello");
            await().atMost(WAIT).untilAsserted(() -> assertThat(link)
                    .hasAcceptedConnections(1)
                    .hasForwardedBytesToServer(5)
                    .hasForwardedBytesToClient(5)
                    .hasActiveConnections(0)
                    .hasClosedConnections(1));
            assertThat(link).hasEvent(LinkEvent.Type.ACCEPTED).hasEvents(LinkEvent.Type.ACCEPTED, 1)
                    .hasNoEvent(LinkEvent.Type.RST_SENT).hasNotInjected(FaultKind.RESET)
                    .hasUpstreamFailures(0).hasResetConnections(0).hasStalledSegments(0).isNotPartitioned();
            assertThatThrownBy(() -> assertThat(link).hasAcceptedConnections(2))
                    .hasMessageContaining("Expecting link api (" + link.endpoint() + " -> " + api + ") to have accepted"
                            + " connections 2, but it was 1")
                    .hasMessageContaining("stats: TcpStats[accepted=1")
                    .hasMessageContaining("ACCEPTED");
            assertThatThrownBy(() -> assertThat(link).hasEvent(LinkEvent.Type.RST_SENT))
                    .hasMessageContaining("to have a RST_SENT event, but it has none");
        }
    }

    @Test
    void countsInjectedResets(@LoopbackAddress("api") ServerSocket server, @LoopbackAddress("api") Endpoint api,
            LoopbackSpace space) throws Exception {
        try (EchoServer echo = new EchoServer(server)) {
            TcpLink link = space.link("api", api);
            link.inject(Fault.reset());
            assertThatThrownBy(() -> exchange(link.endpoint(), "hello")).isInstanceOf(IOException.class);
            await().atMost(WAIT).untilAsserted(() -> assertThat(link)
                    .hasInjected(FaultKind.RESET, 1)
                    .hasInjected(FaultKind.RESET)
                    .hasResetConnections(1)
                    .hasEvent(LinkEvent.Type.RST_SENT));
            assertThat(link).hasEvent(LinkEvent.Type.FAULT_INJECTED).hasEvent(LinkEvent.Type.FAULT_FIRED);
            assertThatThrownBy(() -> assertThat(link).hasNotInjected(FaultKind.RESET))
                    .hasMessageContaining("to have injected RESET 0, but it was 1");
        }
    }

    @Test
    void seesPartitionAndClose(@LoopbackAddress("api") Endpoint api, LoopbackSpace space) {
        TcpLink link = space.link("api", api);
        link.partition();
        assertThat(link).isPartitioned().hasEvent(LinkEvent.Type.PARTITIONED);
        assertThatThrownBy(() -> assertThat(link).isNotPartitioned()).hasMessageContaining("not to be partitioned");
        link.heal();
        assertThat(link).isNotPartitioned().hasEvent(LinkEvent.Type.HEALED);
        assertThatThrownBy(() -> assertThat(link).isClosed()).hasMessageContaining("to be closed, but it is open");
        link.close();
        assertThat(link).isClosed();
    }

    @Test
    void countsDatagramsAndClients(@LoopbackAddress("dns") InetAddress dns, @LoopbackAddress("client") InetAddress me,
            LoopbackSpace space) throws Exception {
        ExecutorService serverThread = Executors.newSingleThreadExecutor();
        try (DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress(dns, 0));
                DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress(me, 0))) {
            serverThread.submit(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(512);
                while (server.isOpen()) {
                    buffer.clear();
                    var from = server.receive(buffer);
                    buffer.flip();
                    server.send(buffer, from);
                }
                return null;
            });
            UdpLink link = space.udpLink("dns", Endpoint.of((InetSocketAddress) server.getLocalAddress()));
            client.socket().setSoTimeout(10_000); // honoured by the socket adaptor's receive
            for (int i = 0; i < 3; i++) {
                client.send(ByteBuffer.wrap(new byte[] {(byte) i}), link.endpoint().socketAddress());
                DatagramPacket reply = new DatagramPacket(new byte[16], 16);
                client.socket().receive(reply);
                assertThat(reply.getLength()).isOne();
                assertThat(reply.getData()[0]).isEqualTo((byte) i);
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(link)
                    .hasForwardedDatagramsToServer(3)
                    .hasForwardedDatagramsToClient(3)
                    .hasForwardedBytesToServer(3)
                    .hasForwardedBytesToClient(3)
                    .hasClients(1));
            link.inject(Fault.loss(1.0));
            client.send(ByteBuffer.wrap(new byte[] {9}), link.endpoint().socketAddress());
            await().atMost(WAIT).untilAsserted(() -> assertThat(link).hasInjected(FaultKind.LOSS, 1));
            assertThat(link).hasForwardedDatagramsToServer(3);
            assertThatThrownBy(() -> assertThat(link).hasClients(2))
                    .hasMessageContaining("to have live clients 2, but it was 1").hasMessageContaining("UdpStats[");
        } finally {
            serverThread.shutdownNow();
            assertThat(serverThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

}
