package dev.loopback.junit;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Every endpoint and space assertion against real sockets, in each binding form. */
@LoopbackTest
class EndpointAssertTest {

    private static Endpoint localEndpoint(ServerSocketChannel server) throws IOException {
        return Endpoint.of((InetSocketAddress) server.getLocalAddress());
    }

    /** Returns true if the kernel lists {@code port} in {@code /proc/net/<table>}: proves which form a socket took. */
    private static boolean listedIn(String table, int port) throws IOException {
        Path path = Path.of("/proc/net", table);
        assumeThat(Files.isReadable(path)).as(path + " readable").isTrue();
        String hexPort = String.format(Locale.ROOT, ":%04X ", port);
        return Files.readAllLines(path).stream().skip(1).anyMatch(line -> line.contains(hexPort));
    }

    @Test
    void serverOnItsOwnAddressPassesEveryListeningAssertion(@LoopbackAddress ServerSocketChannel server,
            @LoopbackAddress Endpoint endpoint) throws IOException {
        Endpoint bound = localEndpoint(server);
        assertThat(bound).isListening().acceptsConnections().isBoundOnlyToItsAddress();
        assertThatThrownBy(() -> assertThat(bound).isNotListening())
                .hasMessageContaining("Expecting nothing to listen on " + bound + ", but " + bound.hostPort() + " does");
        assertThatThrownBy(() -> assertThat(bound).refusesConnections())
                .hasMessageContaining("Expecting " + bound + " to refuse connections, but it accepted one");
    }

    @Test
    void nothingListeningPassesTheOppositeAssertions(@LoopbackAddress Endpoint endpoint) {
        assertThat(endpoint).isNotListening().refusesConnections();
        assertThatThrownBy(() -> assertThat(endpoint).isListening())
                .hasMessageContaining("Expecting " + endpoint + " to be listening (TCP), but nothing listens there");
        assertThatThrownBy(() -> assertThat(endpoint).acceptsConnections())
                .hasMessageContaining("to accept a TCP connection, but connecting failed")
                .hasMessageContaining("Connection refused");
        assertThatThrownBy(() -> assertThat(endpoint).isBoundOnlyToItsAddress())
                .hasMessageContaining("nothing listens on " + endpoint.hostPort())
                .hasMessageContaining("; expected only " + endpoint.hostPort());
    }

    @Test
    void ipv4WildcardListenerIsCaughtOnTheEndpointsPort(@LoopbackAddress InetAddress host) throws IOException {
        // the wildcard only with a kernel-assigned port, so no other test can collide with it
        try (ServerSocketChannel wildcard = ServerSocketChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress("0.0.0.0", 0))) {
            int port = localEndpoint(wildcard).port();
            assertThat(listedIn("tcp", port)).as("an IPv4 socket, in /proc/net/tcp").isTrue();
            Endpoint endpoint = new Endpoint(host, port);
            assertThat(endpoint).isListening().acceptsConnections();
            assertThatThrownBy(() -> assertThat(endpoint).isBoundOnlyToItsAddress())
                    .hasMessage("listening on 0.0.0.0:" + port + "; expected only " + endpoint.hostPort());
            assertThatThrownBy(() -> assertThat(endpoint).isNotListening())
                    .hasMessageContaining("but 0.0.0.0:" + port + " does");
        }
    }

    @Test
    void ipv6WildcardListenerIsCaughtOnTheEndpointsPort(@LoopbackAddress InetAddress host) throws IOException {
        ServerSocketChannel wildcard;
        try {
            wildcard = ServerSocketChannel.open(StandardProtocolFamily.INET6).bind(new InetSocketAddress("::", 0));
        } catch (UnsupportedOperationException | IOException noIpv6) {
            assumeThat(false).as("IPv6 available: " + noIpv6).isTrue();
            return;
        }
        try (wildcard) {
            int port = localEndpoint(wildcard).port();
            assertThat(listedIn("tcp6", port)).as("a dual-stack socket, in /proc/net/tcp6").isTrue();
            Endpoint endpoint = new Endpoint(host, port);
            assertThat(endpoint).isListening().acceptsConnections();
            assertThatThrownBy(() -> assertThat(endpoint).isBoundOnlyToItsAddress())
                    .hasMessage("listening on [::]:" + port + " (every IPv6 and IPv4 address, 0.0.0.0:" + port
                            + " included); expected only " + endpoint.hostPort());
        }
    }

    @Test
    void javaServerSocketOnZeroZeroZeroZeroIsNamedTheWayTheUserWroteItToo(@LoopbackAddress InetAddress host)
            throws IOException {
        // A java.net.ServerSocket is dual-stack: bound to 0.0.0.0, the kernel lists it as [::].
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            int port = server.getLocalPort();
            assumeThat(listedIn("tcp6", port)).as("a dual-stack socket (IPv6 available)").isTrue();
            Endpoint endpoint = new Endpoint(host, port);
            assertThatThrownBy(() -> assertThat(endpoint).isBoundOnlyToItsAddress())
                    .hasMessage("listening on [::]:" + port + " (every IPv6 and IPv4 address, 0.0.0.0:" + port
                            + " included); expected only " + endpoint.hostPort());
        }
    }

    @Test
    void ipv4MappedListenerCountsAsItsIpv4Address(@LoopbackAddress InetAddress host) throws IOException {
        ServerSocketChannel mapped;
        try {
            mapped = ServerSocketChannel.open(StandardProtocolFamily.INET6).bind(new InetSocketAddress(host, 0));
        } catch (UnsupportedOperationException | IOException noIpv6) {
            assumeThat(false).as("IPv6 available: " + noIpv6).isTrue();
            return;
        }
        try (mapped) {
            Endpoint endpoint = localEndpoint(mapped);
            assertThat(listedIn("tcp6", endpoint.port())).as("::ffff:" + host.getHostAddress() + " in tcp6").isTrue();
            assertThat(endpoint).isListening().acceptsConnections().isBoundOnlyToItsAddress();
        }
    }

    @Test
    void ipv4OnlyListenerOnItsAddressPasses(@LoopbackAddress InetAddress host) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress(host, 0))) {
            Endpoint endpoint = localEndpoint(server);
            assertThat(listedIn("tcp", endpoint.port())).isTrue();
            assertThat(endpoint).isListening().isBoundOnlyToItsAddress();
        }
    }

    @Test
    void serverAlsoListeningOnLocalhostIsCaught(@LoopbackAddress InetAddress host) throws IOException {
        try (ServerSocketChannel localhost = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            int port = localEndpoint(localhost).port();
            try (ServerSocketChannel own = ServerSocketChannel.open().bind(new InetSocketAddress(host, port))) {
                Endpoint endpoint = localEndpoint(own);
                assertThatThrownBy(() -> assertThat(endpoint).isBoundOnlyToItsAddress())
                        .hasMessage("listening on 127.0.0.1:" + port + " as well as " + endpoint.hostPort()
                                + "; expected only " + endpoint.hostPort());
            }
        }
    }

    @Test
    void otherSpacesOnTheSamePortDoNotCount(@LoopbackAddress(port = 8080) ServerSocketChannel server)
            throws IOException {
        try (LoopbackSpace other = LoopbackSpace.open()) {
            ServerSocketChannel neighbour = other.bind("neighbour", 8080);
            assertThat(neighbour.isOpen()).isTrue();
            assertThat(localEndpoint(server)).isBoundOnlyToItsAddress();
        }
    }

    @Test
    void spaceWithoutListenersPassesAndOneWithAListenerFailsNamingIt(LoopbackSpace space,
            @LoopbackAddress("web") ServerSocketChannel web, @LoopbackAddress("dns") InetAddress dns) throws IOException {
        Endpoint endpoint = localEndpoint(web);
        assertThatThrownBy(() -> assertThat(space).hasNoListeners())
                .hasMessageContaining("Expecting no listeners on the hosts of the space (seed " + space.seed())
                .hasMessageContaining("tcp " + endpoint.hostPort() + " (host \"web\")");
        web.close();
        assertThat(space).hasNoListeners();
        try (DatagramChannel udp = DatagramChannel.open().bind(new InetSocketAddress(dns, 0))) {
            Endpoint bound = Endpoint.of((InetSocketAddress) udp.getLocalAddress());
            assertThatThrownBy(() -> assertThat(space).hasNoListeners())
                    .hasMessageContaining("udp " + bound.hostPort() + " (host \"dns\")");
        }
        assertThat(space).hasNoListeners();
    }

    @Test
    void failuresOnAnEndpointWithAHostNameShowTheNameAndTheAddress(@LoopbackAddress Endpoint endpoint) {
        Endpoint named = endpoint.withHostName("web.s7.loopback.test"); // printing needs no resolver: any JDK
        String shown = "web.s7.loopback.test:" + endpoint.port() + " (" + endpoint.hostPort() + ")";

        assertThatThrownBy(() -> assertThat(named).isListening())
                .hasMessageStartingWith("Expecting " + shown + " to be listening (TCP)");
        assertThatThrownBy(() -> assertThat(named).isBoundOnlyToItsAddress())
                .hasMessageStartingWith("nothing listens on " + shown)
                .hasMessageEndingWith("; expected only " + shown);
    }
}
