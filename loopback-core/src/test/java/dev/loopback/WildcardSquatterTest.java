package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/**
 * A server bound to the wildcard takes its port on every address, leased hosts included. The
 * squatters here bind the wildcard to a kernel-assigned port only, so they take no port another
 * test may want.
 */
class WildcardSquatterTest {

    @Test
    void ipv4WildcardListenerIsNamedWhenItBlocksAFixedPort() throws IOException {
        try (ServerSocketChannel squatter = ServerSocketChannel.open(StandardProtocolFamily.INET);
                LoopbackSpace space = LoopbackSpace.open()) {
            squatter.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = squatter.socket().getLocalPort();

            assertThatIllegalStateException()
                    .isThrownBy(() -> space.endpoint("web", port))
                    .withMessageContaining("cannot bind " + space.host("web").getHostAddress() + ":" + port)
                    .withMessageContaining("a wildcard listener on 0.0.0.0:" + port)
                    .withMessageContaining("held by pid " + ProcessHandle.current().pid())
                    .withMessageContaining("Bind that server to its own address");
            assertThatIllegalStateException()
                    .isThrownBy(() -> space.bind("web", port))
                    .withMessageContaining("0.0.0.0:" + port);
        }
    }

    @Test
    void dualStackWildcardListenerIsNamedWithIts0000Meaning() throws IOException {
        // What new ServerSocket(port) does: Java binds an IPv6 socket to "::", which takes IPv4 too.
        try (ServerSocket squatter = new ServerSocket(0);
                LoopbackSpace space = LoopbackSpace.open()) {
            int port = squatter.getLocalPort();

            assertThatIllegalStateException()
                    .isThrownBy(() -> space.endpoint("web", port))
                    .withMessageContaining("a wildcard listener on [::]:" + port
                            + " (every IPv6 and IPv4 address, 0.0.0.0:" + port + " included)");
        }
    }

    @Test
    void otherPortsOfTheHostStayUsableNextToASquatter() throws IOException {
        try (ServerSocketChannel squatter = ServerSocketChannel.open(StandardProtocolFamily.INET);
                LoopbackSpace space = LoopbackSpace.open()) {
            squatter.bind(new InetSocketAddress("0.0.0.0", 0));

            Endpoint endpoint = space.endpoint("web");

            assertThat(endpoint.port()).isNotEqualTo(squatter.socket().getLocalPort());
        }
    }

    @Test
    void boundButNotListeningWildcardSocketIsExplainedToo() throws IOException {
        // Invisible in /proc/net/tcp, yet it takes the port on every address.
        try (SocketChannel squatter = SocketChannel.open(StandardProtocolFamily.INET);
                LoopbackSpace space = LoopbackSpace.open()) {
            squatter.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = ((InetSocketAddress) squatter.getLocalAddress()).getPort();

            assertThatIllegalStateException()
                    .isThrownBy(() -> space.endpoint("web", port))
                    .withMessageContaining("cannot bind " + space.host("web").getHostAddress() + ":" + port
                            + " (Address already in use); listeners there: none in /proc/net, so a socket bound to port "
                            + port + " without listening (on this address or the wildcard) holds it");
        }
    }
}
