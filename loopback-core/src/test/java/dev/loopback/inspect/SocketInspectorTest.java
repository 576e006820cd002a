package dev.loopback.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.inspect.Listener.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Who listens on what, read from the kernel's tables while real sockets are open. */
class SocketInspectorTest {

    private static final String OWN_PID = "pid " + ProcessHandle.current().pid() + " ";

    /** This process's user id, as the kernel's tables list the owner of its sockets. */
    private static long ownUid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }

    @Test
    void seesListenerOnOwnAddressWithItsProcess() throws IOException {
        try (LoopbackSpace space = LoopbackSpace.open();
                ServerSocket server = new ServerSocket()) {
            server.bind(space.endpoint("web").socketAddress()); // a dual-stack socket: ::ffff:127.x in tcp6
            Endpoint endpoint = Endpoint.of((InetSocketAddress) server.getLocalSocketAddress());

            assertThat(SocketInspector.listenersOn(endpoint.address()))
                    .extracting(Listener::toString)
                    .containsExactly("tcp " + endpoint.hostPort());
            assertThat(SocketInspector.isListening(endpoint)).isTrue();
            Listener listener = SocketInspector.listenersOn(endpoint.address()).get(0);
            assertThat(listener.isWildcard()).isFalse();
            assertThat(listener.serves(endpoint)).isTrue();
            assertThat(SocketInspector.owner(listener)).hasValueSatisfying(o -> assertThat(o).startsWith(OWN_PID));
            assertThat(listener.uid()).as("owner uid").isEqualTo(ownUid());

            server.close();

            assertThat(SocketInspector.isListening(endpoint)).isFalse();
            assertThat(SocketInspector.listenersOn(endpoint.address())).isEmpty();
        }
    }

    @Test
    void seesIpv4WildcardListenerServingEveryHost() throws IOException {
        try (LoopbackSpace space = LoopbackSpace.open();
                ServerSocketChannel wildcard = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            wildcard.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = wildcard.socket().getLocalPort();

            Listener listener = SocketInspector.wildcardTcpListener(port).orElseThrow();

            assertThat(listener.hostPort()).isEqualTo("0.0.0.0:" + port);
            assertThat(listener.serves(new Endpoint(space.host("db"), port))).isTrue();
            assertThat(SocketInspector.isListening(new Endpoint(space.host("db"), port))).isTrue();
            assertThat(SocketInspector.listenersOn(space.host("db"))).isEmpty();
        }
    }

    @Test
    void seesDualStackWildcardListenerAsDoubleColon() throws IOException {
        try (ServerSocket wildcard = new ServerSocket(0)) {
            int port = wildcard.getLocalPort();

            assertThat(SocketInspector.listenersOnPort(port))
                    .extracting(Listener::toString)
                    .containsExactly("tcp [::]:" + port);
            assertThat(SocketInspector.wildcardTcpListener(port)).isPresent();
            assertThat(SocketInspector.isListening(new Endpoint(InetAddress.getLoopbackAddress(), port))).isTrue();
        }
    }

    @Test
    void aPortNoSocketCanHaveIsAMistakeNotAnEmptyAnswer() throws IOException {
        try (ServerSocket listening = new ServerSocket(0)) {
            assertThat(SocketInspector.listenersOnPort(listening.getLocalPort())).isNotEmpty();
            for (int port : new int[] {-1, 0, 65536}) {
                assertThatIllegalArgumentException().isThrownBy(() -> SocketInspector.listenersOnPort(port))
                        .withMessage("port " + port + " is outside 1..65535");
            }
        }
    }

    @Test
    void seesBoundUdpSocket() throws IOException {
        try (LoopbackSpace space = LoopbackSpace.open();
                DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET)) {
            InetAddress host = space.host("dns");
            udp.bind(new InetSocketAddress(host, 0));
            int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();

            assertThat(SocketInspector.listenersOn(host))
                    .singleElement()
                    .satisfies(l -> assertThat(l.protocol()).isEqualTo(Protocol.UDP))
                    .satisfies(l -> assertThat(l.port()).isEqualTo(port))
                    .satisfies(l -> assertThat(SocketInspector.owner(l)).hasValueSatisfying(o -> assertThat(o).startsWith(OWN_PID)))
                    .satisfies(l -> assertThat(l.uid()).as("owner uid").isEqualTo(ownUid()));
            assertThat(SocketInspector.isListening(new Endpoint(host, port))).as("TCP only").isFalse();
        }
    }

    @Test
    void peersOfAServerAreTheLinksHostAndNoOtherConnectionOfTheMachine() throws IOException {
        try (LoopbackSpace space = LoopbackSpace.open();
                ServerSocketChannel server = space.bind("db")) {
            Endpoint db = Endpoint.of((InetSocketAddress) server.getLocalAddress());
            dev.loopback.TcpLink link = space.link("db", db);
            try (java.net.Socket viaLink = new java.net.Socket(link.endpoint().address(), link.endpoint().port());
                    java.nio.channels.SocketChannel acceptedViaLink = server.accept();
                    java.net.Socket direct = new java.net.Socket(db.address(), db.port());
                    java.nio.channels.SocketChannel acceptedDirect = server.accept()) {
                assertThat(SocketInspector.peersOf(db))
                        .extracting(c -> c.remote().address())
                        .containsExactlyInAnyOrder(link.endpoint().address(), direct.getLocalAddress());
                assertThat(SocketInspector.peersOf(db)).allSatisfy(c -> assertThat(c.local()).isEqualTo(db));
                long uid = ownUid();
                assertThat(SocketInspector.peersOf(db)).allSatisfy(c -> assertThat(c.uid()).as("owner uid").isEqualTo(uid));
                assertThat(SocketInspector.connections())
                        .anySatisfy(c -> assertThat(c.remote()).isEqualTo(db)); // the client ends are listed too
            }
        }
    }

    @Test
    void peersOfAWildcardServerIncludeEveryAddressOnItsPort() throws IOException {
        try (LoopbackSpace space = LoopbackSpace.open();
                ServerSocketChannel wildcard = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            wildcard.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = wildcard.socket().getLocalPort();
            InetAddress host = space.host("db");
            try (java.net.Socket client = new java.net.Socket(host, port);
                    java.nio.channels.SocketChannel accepted = wildcard.accept()) {
                assertThat(SocketInspector.peersOf(new Endpoint(host, port)))
                        .extracting(Connection::remote)
                        .containsExactly(Endpoint.of((InetSocketAddress) client.getLocalSocketAddress()));
            }
        }
    }
}
