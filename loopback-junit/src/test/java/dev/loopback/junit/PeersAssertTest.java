package dev.loopback.junit;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** {@code isReachedOnlyThrough}: who is connected to a server, read from the kernel, against its links. */
@LoopbackTest
class PeersAssertTest {

    @Test
    void clientsThroughTheLinkPass(@LoopbackAddress("db") ServerSocketChannel server, LoopbackSpace space)
            throws IOException {
        Endpoint db = Endpoint.of((InetSocketAddress) server.getLocalAddress());
        TcpLink link = space.link("db", db);
        try (Socket first = connect(link.endpoint()); SocketChannel a = server.accept();
                Socket second = connect(link.endpoint()); SocketChannel b = server.accept()) {
            assertThat(db).isReachedOnlyThrough(link);
        }
    }

    @Test
    void aClientThatBypassedTheLinkFailsWithItsAddress(@LoopbackAddress("db") ServerSocketChannel server,
            LoopbackSpace space) throws IOException {
        Endpoint db = Endpoint.of((InetSocketAddress) server.getLocalAddress());
        TcpLink link = space.link("db", db);
        try (Socket viaLink = connect(link.endpoint()); SocketChannel a = server.accept();
                Socket direct = connect(db); SocketChannel b = server.accept()) {
            String bypass = Endpoint.of((InetSocketAddress) direct.getLocalSocketAddress()).hostPort();
            assertThatThrownBy(() -> assertThat(db).isReachedOnlyThrough(link))
                    .hasMessage("Expecting every client of " + db + " to come through link db ("
                            + link.endpoint().address().getHostAddress() + "), but 1 of its 2 connections bypassed it,"
                            + " so faults injected into the link never reached them: from " + bypass);
        }
    }

    @Test
    void aServerWithNoClientFails(@LoopbackAddress("db") ServerSocketChannel server, LoopbackSpace space)
            throws IOException {
        Endpoint db = Endpoint.of((InetSocketAddress) server.getLocalAddress());
        TcpLink link = space.link("db", db);
        assertThatThrownBy(() -> assertThat(db).isReachedOnlyThrough(link))
                .hasMessageContaining("has no established connection at all");
        assertThatThrownBy(() -> assertThat(db).isReachedOnlyThrough())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs at least one link");
    }

    private static Socket connect(Endpoint endpoint) throws IOException {
        return new Socket(endpoint.address(), endpoint.port());
    }
}
