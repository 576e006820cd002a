package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;

class LinkUpstreamTest {

    @Test
    void aLinkToAServerBoundToTheWildcardIsRefusedNamingTheWildcardAndLeasesNoHost() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open();
                ServerSocketChannel wildcard = ServerSocketChannel.open().bind(null)) { // the JDK reports [::]
            Endpoint upstream = Endpoint.of((InetSocketAddress) wildcard.getLocalAddress());
            assertThatIllegalArgumentException().isThrownBy(() -> space.link("db", upstream))
                    .withMessageContaining("TCP link 'db': upstream [::]:" + upstream.port())
                    .withMessageContaining("is the wildcard address (0.0.0.0 or [::]), not a loopback one")
                    .withMessageContaining("127.0.0.0/8");
            assertThatIllegalArgumentException().isThrownBy(() -> space.udpLink("dns", upstream))
                    .withMessageContaining("UDP link 'dns'");
            assertThat(space.hosts()).isEmpty();
            assertThat(space.links()).isEmpty();
        }
    }

    @Test
    void anIpv4WildcardUpstreamIsNamedAs0000() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            Endpoint upstream = new Endpoint(InetAddress.getByName("0.0.0.0"), 5432);
            assertThatIllegalArgumentException().isThrownBy(() -> space.link("db", upstream))
                    .withMessageStartingWith("TCP link 'db': upstream 0.0.0.0:5432 is the wildcard address");
        }
    }

    @Test
    void aLinkToAnAddressOffTheMachineIsRefusedBeforeAnythingIsDialled() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            Endpoint documentation = new Endpoint(InetAddress.getByName("192.0.2.1"), 80);
            Endpoint publicDns = new Endpoint(InetAddress.getByName("8.8.8.8"), 53);
            assertThatIllegalArgumentException().isThrownBy(() -> space.link("web", documentation))
                    .withMessageContaining("upstream 192.0.2.1:80 is not a loopback address;");
            assertThatIllegalArgumentException().isThrownBy(() -> space.udpLink("dns", publicDns))
                    .withMessageContaining("upstream 8.8.8.8:53 is not a loopback address;");
            assertThat(space.hosts()).isEmpty();
        }
    }

    @Test
    void aLinkToALoopbackServerStillOpens() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open();
                ServerSocketChannel server = space.bind("db")) {
            TcpLink link = space.link("db", Endpoint.of((InetSocketAddress) server.getLocalAddress()));
            assertThat(link.endpoint().address().isLoopbackAddress()).isTrue();
        }
    }
}
