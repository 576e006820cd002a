package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpLinkBadInputTest {

    @Test
    void preserveOrderIsRefusedOnTcpNamingWhy() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            TcpLink link = space.link(space.endpoint("server"));
            assertThatThrownBy(() -> link.inject(Fault.latency(Duration.ofMillis(5)).preserveOrder()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("preserveOrder()")
                    .hasMessageContaining("UDP option");
            assertThat(link.faults()).isEmpty();
            assertThat(link.events()).extracting(LinkEvent::type).doesNotContain(LinkEvent.Type.FAULT_INJECTED);
        }
    }

    @Test
    void aLinkToAnIpv6UpstreamFailsAtCreationAndLeasesNoHost() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            Endpoint v6 = new Endpoint(java.net.InetAddress.getByName("::1"), 8080);
            assertThatThrownBy(() -> space.link("v6", v6)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("TCP link 'v6'").hasMessageContaining("IPv6")
                    .hasMessageContaining("must be an IPv4 endpoint");
            assertThatThrownBy(() -> space.udpLink("v6", v6)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("UDP link 'v6'");
            assertThat(space.hosts()).isEmpty();
            assertThat(space.links()).isEmpty();
        }
    }

    @Test
    void refuseCannotBeDrawnPerConnectionOrTriggered() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            TcpLink link = space.link(space.endpoint("server"));
            assertThatThrownBy(() -> link.inject(Fault.refuse().probability(0.5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.5")
                    .hasMessageContaining("probability 0 or 1");
            assertThatThrownBy(() -> link.inject(Fault.refuse().onConnection(2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trigger");
            assertThatThrownBy(() -> link.inject(Fault.refuse().after(Duration.ofSeconds(1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trigger");
        }
    }

    @Test
    void aClosedLinkRejectsChangesAndStaysReadable() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            TcpLink link = space.link("gone", space.endpoint("server"));
            link.inject(Fault.latency(Duration.ofMillis(5)));
            link.close();
            link.close();
            assertThatThrownBy(() -> link.inject(Fault.reset())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'gone'").hasMessageContaining("closed");
            assertThatThrownBy(link::clear).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(link::partition).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(link::heal).isInstanceOf(IllegalStateException.class);
            assertThat(link.stats().accepted()).isZero();
            assertThat(link.events()).isNotEmpty();
            assertThat(link.connections()).isEmpty();
            assertThat(link.faults()).isEmpty();
        }
    }

    @Test
    void closingTheSpaceClosesItsLinks() {
        TcpLink link;
        try (LoopbackSpace space = LoopbackSpace.open()) {
            link = space.link(space.endpoint("server"));
        }
        assertThat(link.isClosed()).isTrue();
    }
}
