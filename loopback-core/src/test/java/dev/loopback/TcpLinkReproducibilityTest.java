package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.testing.tcp.TestServer;
import java.net.Socket;
import java.net.SocketException;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class TcpLinkReproducibilityTest {

    private static final int CONNECTIONS = 200;

    @Test
    void theSameSeedResetsTheSameConnectionsAndAnotherSeedOthers() throws Exception {
        BitSet first = resetConnections(1234);
        BitSet second = resetConnections(1234);
        BitSet other = resetConnections(98765);
        assertThat(first.cardinality()).as("about half of 200 are reset").isBetween(60, 140);
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    private static BitSet resetConnections(long seed) throws Exception {
        BitSet reset = new BitSet();
        try (LoopbackSpace space = LoopbackSpace.builder().seed(seed).open(); TestServer server = TestServer.echo(space, 4)) {
            TcpLink link = space.link("api", server.endpoint());
            link.inject(Fault.reset().probability(0.5));
            for (int i = 0; i < CONNECTIONS; i++) {
                try (Socket client = connect(link)) {
                    client.getOutputStream().write(1);
                    if (client.getInputStream().read() != 1) {
                        throw new AssertionError("connection " + (i + 1) + " neither echoed nor was reset");
                    }
                } catch (SocketException e) {
                    assertThat(e.getMessage()).contains("Connection reset");
                    reset.set(i);
                }
            }
            assertThat(link.stats().resets()).isEqualTo(reset.cardinality());
        }
        return reset;
    }
}
