package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.testing.tcp.TestServer;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

class TcpLinkResetTest {

    @Test
    void resetReachesClientAsConnectionReset() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 2)) {
            TcpLink link = space.link(server.endpoint());
            try (Socket client = connect(link)) {
                client.getOutputStream().write(1);
                assertThat(client.getInputStream().read()).isEqualTo(1);
                link.inject(Fault.reset());
                assertThatThrownBy(() -> client.getInputStream().read())
                        .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
            }
            assertThat(link.stats().resets()).isEqualTo(1);
            assertThat(link.stats().injected(FaultKind.RESET)).isEqualTo(1);
            assertThat(link.events()).extracting(LinkEvent::type).contains(LinkEvent.Type.RST_SENT);
        }
    }

    @Test
    void resetActsAtOnceOnNewConnectionsBeforeTheUpstreamIsDialled() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.reset());
            // A timed connect that is still completing when the RST arrives reports it; otherwise the first read does.
            assertThatThrownBy(() -> {
                try (Socket client = connect(link)) {
                    client.getInputStream().read();
                }
            }).isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
            assertThat(server.accepted()).isZero();
        }
    }

    @Test
    void resetAfterBytesLetsExactlyThoseBytesThroughFirst() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    s.getOutputStream().write(new byte[5000]);
                    s.getInputStream().read();
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.reset().afterBytes(1000).toClient());
            int total = 0;
            SocketException reset = null;
            // The reset may reach a timed connect that is still completing, or a later read.
            try (Socket client = connect(link)) {
                InputStream in = client.getInputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    total += n;
                }
            } catch (SocketException e) {
                reset = e;
            }
            assertThat(reset).as("the client sees a reset").isNotNull();
            assertThat(reset.getMessage()).contains("Connection reset");
            assertThat(total).isLessThanOrEqualTo(1000);
            assertThat(link.stats().bytesToClient()).isEqualTo(1000);
        }
    }

    @Test
    void resetWithProbabilityZeroHasNoEffectAndClosesStayFin() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 2)) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.reset().probability(0));
            for (int i = 0; i < 5; i++) {
                try (Socket client = connect(link)) {
                    client.getOutputStream().write(new byte[] {1, 2, 3});
                    client.shutdownOutput();
                    assertThat(client.getInputStream().readAllBytes()).containsExactly(1, 2, 3);
                    assertThat(client.getInputStream().read()).as("EOF (FIN), not a reset").isEqualTo(-1);
                }
            }
            assertThat(link.stats().resets()).isZero();
            assertThat(link.stats().injected(FaultKind.RESET)).isZero();
            assertThat(link.events()).extracting(LinkEvent::type).doesNotContain(LinkEvent.Type.RST_SENT)
                    .contains(LinkEvent.Type.FIN_SENT);
        }
    }

    @Test
    void resetOnlyTheNthConnectionAfterInjection() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 2)) {
            TcpLink link = space.link(server.endpoint());
            try (Socket before = connect(link)) {
                before.getOutputStream().write(9);
                assertThat(before.getInputStream().read()).isEqualTo(9);
                link.inject(Fault.reset().onConnection(2));
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    if (i == 2) {
                        assertThatThrownBy(() -> {
                            try (Socket client = connect(link)) {
                                client.getOutputStream().write(n);
                                client.getInputStream().read();
                            }
                        }).isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
                        continue;
                    }
                    try (Socket client = connect(link)) {
                        client.getOutputStream().write(i);
                        assertThat(client.getInputStream().read()).isEqualTo(i);
                    }
                }
                before.getOutputStream().write(8);
                assertThat(before.getInputStream().read()).as("older connections are untouched").isEqualTo(8);
            }
            assertThat(link.stats().resets()).isEqualTo(1);
        }
    }

    @Test
    void resetAfterAnAgeWaitsForIt() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.reset().after(java.time.Duration.ofMillis(300)));
            try (Socket client = connect(link)) {
                long start = System.nanoTime();
                client.getOutputStream().write(5);
                assertThat(client.getInputStream().read()).isEqualTo(5);
                assertThatThrownBy(() -> client.getInputStream().read())
                        .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
                assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
            }
        }
    }
}
