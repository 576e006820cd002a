package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.inspect.Connection;
import dev.loopback.inspect.SocketInspector;
import dev.loopback.testing.tcp.EchoCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** One shared address per node that recognises the calling node by source address, and the bypass check. */
class ClusterAdvertisedTest {

    private static final int PORT = EchoCluster.PORT;

    @AutoClose
    private final EchoCluster echo = new EchoCluster();
    private final LoopbackSpace space = echo.space();
    private final Cluster cluster = echo.cluster();

    @Test
    void theAdvertisedAddressSendsEachNodeAlongItsOwnPath() throws Exception {
        Endpoint n2 = cluster.advertised("n2", PORT);
        assertThat(cluster.advertised("n2", PORT)).as("one address for every caller").isEqualTo(n2);
        try (Socket fromN1 = cluster.socketFactory("n1").createSocket(n2.address(), n2.port());
                Socket fromN3 = cluster.socketFactory("n3").createSocket(n2.address(), n2.port())) {
            fromN1.setSoTimeout(10_000);
            fromN3.setSoTimeout(10_000);
            assertThat(echo(fromN1, "warm")).isEqualTo("warm");

            cluster.isolate("n1");

            fromN1.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
            fromN1.setSoTimeout(300);
            assertThatThrownBy(() -> fromN1.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(echo(fromN3, "n3 is not cut")).isEqualTo("n3 is not cut");
            assertThat(cluster.link("n1", "n2", PORT).stats().accepted()).isEqualTo(1);
            assertThat(cluster.link("n3", "n2", PORT).stats().accepted()).isEqualTo(1);

            cluster.heal();
            fromN1.setSoTimeout(10_000);
            assertThat(new String(fromN1.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("held");
        }
    }

    @Test
    void aCallerThatIsNoNodesHostIsResetAndJournalled() throws Exception {
        Endpoint n2 = cluster.advertised("n2", PORT);
        try (Socket unbound = new Socket()) {
            assertThatThrownBy(() -> { // a timed connect still completing sees the reset too
                unbound.connect(new InetSocketAddress(n2.address(), n2.port()), 10_000);
                unbound.setSoTimeout(10_000);
                echo(unbound, "who am I");
            }).isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.advertisedLink("n2", PORT).events())
                .anySatisfy(e -> assertThat(e.detail()).startsWith("no upstream for a client from /127.0.0.1:")));
    }

    @Test
    void aNodeReachingItsOwnAdvertisedAddressGoesStraightToItsServer() throws Exception {
        Endpoint n2 = cluster.advertised("n2", PORT);
        cluster.isolate("n2");
        try (Socket self = cluster.socketFactory("n2").createSocket(n2.address(), n2.port())) {
            self.setSoTimeout(10_000);
            assertThat(echo(self, "me")).isEqualTo("me");
        }
    }

    @Test
    void aCrashedNodesNewConnectionsThroughAnAdvertisedAddressAreResetNotRefused() throws Exception {
        Endpoint n2 = cluster.advertised("n2", PORT);
        cluster.crash("n1");
        try (Socket fromN1 = cluster.socketFactory("n1").createSocket()) {
            assertThatThrownBy(() -> {
                fromN1.connect(n2.socketAddress(), 10_000);
                fromN1.setSoTimeout(10_000);
                echo(fromN1, "anyone?");
            }).isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
        }
        try (Socket fromN3 = cluster.socketFactory("n3").createSocket(n2.address(), n2.port())) {
            fromN3.setSoTimeout(10_000);
            assertThat(echo(fromN3, "n3 is fine")).isEqualTo("n3 is fine");
        }
    }

    @Test
    void theServerSeesThePathsLinkAsItsPeerNotTheCallingNodesHost() throws Exception {
        Assumptions.assumeTrue(SocketInspector.canListListeners(), "needs the kernel's socket tables");
        Endpoint n2 = cluster.advertised("n2", PORT);
        try (Socket fromN1 = cluster.socketFactory("n1").createSocket(n2.address(), n2.port())) {
            fromN1.setSoTimeout(10_000);
            assertThat(echo(fromN1, "who is it")).isEqualTo("who is it");
            assertThat(SocketInspector.peersOf(cluster.endpoint("n2", PORT)))
                    .extracting(c -> c.remote().address())
                    .containsExactly(cluster.link("n1", "n2", PORT).endpoint().address())
                    .doesNotContain(cluster.host("n1"));
        }
    }

    @Test
    void bypassesListsClientsThatDialledANodeDirectlyAndNoneThatTookAPath() throws Exception {
        Assumptions.assumeTrue(SocketInspector.canListListeners(), "needs the kernel's socket tables");
        Endpoint real = cluster.endpoint("n3", PORT);
        Endpoint advertised = cluster.advertised("n3", PORT);
        try (Socket viaPath = dial(cluster.path("n1", "n3", PORT));
                Socket viaAdvertised = cluster.socketFactory("n2").createSocket(advertised.address(), advertised.port())) {
            viaAdvertised.setSoTimeout(10_000);
            assertThat(echo(viaPath, "ok")).isEqualTo("ok");
            assertThat(echo(viaAdvertised, "ok")).isEqualTo("ok");
            assertThat(cluster.bypasses()).isEmpty();

            try (Socket direct = dial(real)) {
                assertThat(echo(direct, "sneaky")).isEqualTo("sneaky");
                List<Connection> bypasses = cluster.bypasses();
                assertThat(bypasses).hasSize(1);
                assertThat(bypasses.get(0).local()).isEqualTo(real);
                assertThat(bypasses.get(0).remote().address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
                assertThat(bypasses.get(0).remote().port()).isEqualTo(direct.getLocalPort());
            }
        }
    }

    private static Socket dial(Endpoint endpoint) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(endpoint.address(), endpoint.port()), 10_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String echo(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(bytes);
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII);
    }
}
