package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.testing.tcp.TestServer;
import dev.loopback.testing.udp.UdpEchoServer;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A link told where to listen: a fixed address and port for clients whose configuration names it. */
class LinkListenAtTest {

    @Test
    void aTcpLinkListensOnTheGivenPortAndDialsFromAHostOfItsOwn() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            Endpoint fixed = space.endpoint("clients-know-this", 0);
            TcpLink link = space.link("db", server.endpoint(), fixed);

            assertThat(link.endpoint()).isEqualTo(fixed);
            try (Socket client = new Socket(fixed.address(), fixed.port())) {
                client.setSoTimeout(30_000);
                client.getOutputStream().write(42);
                assertThat(client.getInputStream().read()).as("the echo, through the link").isEqualTo(42);
            }
            assertThat(server.peers()).as("the upstream sees the link's own host, not the listen address")
                    .containsExactly(space.hosts().get("link:db").getHostAddress());
        }
    }

    @Test
    void refusingAndListeningAgainKeepTheGivenPort() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link("db", server.endpoint(), space.endpoint("front"));
            FaultHandle refuse = link.inject(Fault.refuse());
            assertThatThrownBy(() -> connect(link)).isInstanceOf(ConnectException.class)
                    .hasMessageContaining("Connection refused");
            refuse.remove();
            try (Socket client = connect(link)) {
                client.getOutputStream().write(7);
                assertThat(client.getInputStream().read()).isEqualTo(7);
            }
        }
    }

    @Test
    void aPortInUseFailsNamingTheAddressAndLeavesNoLink() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1);
                ServerSocketChannel taken = space.bind("front")) {
            Endpoint busy = Endpoint.of((InetSocketAddress) taken.getLocalAddress());
            assertThatThrownBy(() -> space.link("db", server.endpoint(), busy))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(BindException.class)
                    .hasMessageContaining("TCP link 'db' cannot listen on " + busy.hostPort())
                    .hasMessageContaining("held by");
            assertThat(space.links()).isEmpty();
            assertThat(space.hosts()).doesNotContainKey("link:db");
        }
    }

    @Test
    void onlyAnIpv4LoopbackAddressIsAccepted() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.link("db", server.endpoint(), new Endpoint(InetAddress.getByName("0.0.0.0"), 5432)))
                    .withMessage("TCP link 'db': cannot listen on 0.0.0.0:5432, the wildcard address (0.0.0.0 or [::]),"
                            + " reachable from other machines; a link listens only on an IPv4 loopback address (127.0.0.0/8)");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.link("db", server.endpoint(), new Endpoint(InetAddress.getByName("192.0.2.1"), 80)))
                    .withMessageContaining("cannot listen on 192.0.2.1:80;");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.udpLink("dns", server.endpoint(), new Endpoint(InetAddress.getByName("::1"), 53)))
                    .withMessageStartingWith("UDP link 'dns': cannot listen on [::1]:53;");
            assertThat(space.hosts()).doesNotContainKeys("link:db", "link:dns");
        }
    }

    @Test
    void aUdpLinkReceivesOnTheGivenPort() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.endpoint("dns").address())) {
            Endpoint fixed = space.endpoint("resolver-config", 0);
            UdpLink link = space.udpLink("dns", server.endpoint(), fixed);
            assertThat(link.endpoint()).isEqualTo(fixed);

            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(space.endpoint("client").address(), 0))) {
                client.setSoTimeout(30_000);
                byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
                client.send(new DatagramPacket(ping, ping.length, fixed.socketAddress()));
                DatagramPacket reply = new DatagramPacket(new byte[16], 16);
                client.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII)).isEqualTo("ping");
            }
        }
    }
}
