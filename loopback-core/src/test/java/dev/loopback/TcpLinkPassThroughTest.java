package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.loopback.testing.tcp.Clients.connect;
import static org.awaitility.Awaitility.await;

import dev.loopback.internal.lease.HostLeaseAcrossJvmsTest;
import dev.loopback.testing.tcp.Payloads;
import dev.loopback.testing.tcp.TestServer;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

class TcpLinkPassThroughTest {

    @Test
    void forwardsEveryByteOnceInOrderBothWays() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 2)) {
            TcpLink link = space.link(server.endpoint());
            byte[] payload = Payloads.random(1, 5 * 1024 * 1024 + 17);
            try (Socket client = connect(link)) {
                Thread writer = new Thread(() -> {
                    try {
                        client.getOutputStream().write(payload);
                        client.shutdownOutput();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                writer.start();
                long[] count = new long[1];
                String sha = Payloads.sha256(client.getInputStream(), count);
                writer.join();
                assertThat(count[0]).isEqualTo(payload.length);
                assertThat(sha).isEqualTo(Payloads.sha256(payload));
            }
            assertThat(link.stats().bytesToServer()).isEqualTo(payload.length);
            assertThat(link.stats().bytesToClient()).isEqualTo(payload.length);
        }
    }

    @Test
    void halfCloseIsForwardedAndTheServerStillReplies() throws Exception {
        byte[] reply = Payloads.random(2, 300_000);
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    long[] n = new long[1];
                    Payloads.sha256(s.getInputStream(), n); // reads until the client's FIN arrives
                    OutputStream out = s.getOutputStream();
                    out.write(String.format("%08d", n[0]).getBytes());
                    out.write(reply);
                    s.shutdownOutput();
                })) {
            TcpLink link = space.link(server.endpoint());
            try (Socket client = connect(link)) {
                client.getOutputStream().write(new byte[12345]);
                client.shutdownOutput();
                DataInputStream in = new DataInputStream(client.getInputStream());
                byte[] header = new byte[8];
                in.readFully(header);
                assertThat(new String(header)).isEqualTo("00012345");
                byte[] got = new byte[reply.length];
                in.readFully(got);
                assertThat(got).isEqualTo(reply);
                assertThat(in.read()).as("EOF after the reply").isEqualTo(-1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().active() == 0);
            assertThat(link.events()).extracting(LinkEvent::type).contains(LinkEvent.Type.FIN_SENT, LinkEvent.Type.CLOSED);
        }
    }

    @Test
    void serverHalfCloseReachesClientWhileClientKeepsSending() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    s.getOutputStream().write("bye".getBytes());
                    s.shutdownOutput();
                    long[] n = new long[1];
                    Payloads.sha256(s.getInputStream(), n);
                    assertThat(n[0]).isEqualTo(100_000);
                })) {
            TcpLink link = space.link(server.endpoint());
            try (Socket client = connect(link)) {
                InputStream in = client.getInputStream();
                assertThat(in.readAllBytes()).isEqualTo("bye".getBytes());
                client.getOutputStream().write(new byte[100_000]);
                client.shutdownOutput();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().closed() == 1);
            assertThat(server.failures()).isEmpty();
        }
    }

    @Test
    void serverSeesTheLinksOwnHostAsPeer() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link("db-link", server.endpoint());
            try (Socket client = connect(link)) {
                client.getOutputStream().write(1);
                assertThat(client.getInputStream().read()).isEqualTo(1);
                assertThat(server.peers()).containsExactly(link.endpoint().address().getHostAddress());
                assertThat(link.connections()).singleElement()
                        .satisfies(c -> assertThat(c.client().getPort()).isEqualTo(client.getLocalPort()));
            }
        }
    }

    @Test
    void upstreamDownResetsTheClientAtOnce() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            Endpoint nobody = space.endpoint("server");
            TcpLink link = space.link(nobody);
            // A timed connect that is still completing when the RST arrives reports it; otherwise the first read does.
            assertThatThrownBy(() -> {
                try (Socket client = connect(link)) {
                    client.getInputStream().read();
                }
            }).isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
            assertThat(link.stats().upstreamFailed()).isEqualTo(1);
            assertThat(link.events()).extracting(LinkEvent::type)
                    .contains(LinkEvent.Type.UPSTREAM_FAILED, LinkEvent.Type.RST_SENT);
        }
    }

    // A child JVM spawned while a listener closes keeps it open for a few milliseconds (it inherits
    // every descriptor until it closes them), so this does not run while one starts.
    @ResourceLock(HostLeaseAcrossJvmsTest.SPAWNS_CHILD_JVMS)
    @Test
    void closingTheLinkStopsListeningAndClosesConnections() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            try (Socket client = connect(link)) {
                client.getOutputStream().write(7);
                assertThat(client.getInputStream().read()).isEqualTo(7);
                link.close();
                assertThat(link.isClosed()).isTrue();
                client.setSoTimeout(10_000);
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
            assertThatThrownBy(() -> connect(link)).isInstanceOf(ConnectException.class);
            assertThat(space.links()).doesNotContain(link);
        }
    }
}
