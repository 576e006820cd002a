package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.testing.udp.Datagrams;
import dev.loopback.testing.udp.UdpEchoServer;
import dev.loopback.testing.udp.UdpPeer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpLinkLifecycleTest {

    private static final Duration REPLY = Duration.ofSeconds(5);

    @Test
    void idleClientMappingExpiresAndIsRecreatedOnTheNextDatagram() {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink(server.endpoint()).idleTimeout(Duration.ofMillis(500));
            assertThat(link.idleTimeout()).isEqualTo(Duration.ofMillis(500));
            client.send(Datagrams.seqOnly(1), link.endpoint());
            assertThat(client.receive(REPLY)).isNotNull();
            assertThat(link.clients()).singleElement().satisfies(c -> {
                assertThat(c.id()).isEqualTo(1);
                assertThat(c.address()).isEqualTo(client.endpoint().socketAddress());
                assertThat(c.datagramsToServer()).isEqualTo(1);
                assertThat(c.datagramsToClient()).isEqualTo(1);
            });

            await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().expired() == 1);
            assertThat(link.clients()).isEmpty();
            assertThat(link.stats().clients()).isZero();
            assertThat(link.events()).filteredOn(e -> e.type() == LinkEvent.Type.EXPIRED)
                    .singleElement().extracting(LinkEvent::connection).isEqualTo(1L);

            client.send(Datagrams.seqOnly(2), link.endpoint());
            UdpPeer.Received reply = client.receive(REPLY);
            assertThat(reply).isNotNull();
            assertThat(Datagrams.seqOf(reply.data())).isEqualTo(2);
            assertThat(link.clients()).singleElement().extracting(UdpClient::id).isEqualTo(2L);
            assertThat(server.peers()).hasSize(2);
        }
    }

    @Test
    void activeClientMappingDoesNotExpire() {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink(server.endpoint()).idleTimeout(Duration.ofSeconds(1));
            long start = System.nanoTime();
            for (long seq = 0; System.nanoTime() - start < Duration.ofMillis(2500).toNanos(); seq++) {
                client.send(Datagrams.seqOnly(seq), link.endpoint());
                assertThat(client.receive(REPLY)).isNotNull();
                client.receive(Duration.ofMillis(20)); // paces the loop: nothing else is expected
            }
            assertThat(link.stats().expired()).isZero();
            assertThat(link.clients()).singleElement().extracting(UdpClient::id).isEqualTo(1L);
        }
    }

    @Test
    void badInputFailsWithTheValueAndTheRule() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            UdpLink link = space.udpLink(space.endpoint("server"));
            assertThatThrownBy(() -> link.idleTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PT0S").hasMessageContaining("> 0");
            assertThatThrownBy(() -> link.idleTimeout(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Fault.loss(1.5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1.5").hasMessageContaining("[0, 1]");
            assertThatThrownBy(() -> Fault.duplicate(-0.1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Fault.corrupt(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Fault.gilbertElliott(0.1, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("never leave");
            assertThatThrownBy(() -> Fault.gilbert(0.1, 1.2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("r (bad to good) 1.2");
            assertThatThrownBy(() -> Fault.rate(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be > 0");
            assertThatThrownBy(() -> Fault.rate(1000).queue(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Fault.reorder(0.5, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gap 0");
            assertThatThrownBy(() -> Fault.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> link.inject(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void closedLinkRefusesChangesKeepsItsCountersAndFreesItsSocket() {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink("closing", server.endpoint());
            FaultHandle handle = link.inject(Fault.latency(Duration.ofMillis(1)));
            client.send(Datagrams.seqOnly(1), link.endpoint());
            assertThat(client.receive(REPLY)).isNotNull();

            link.close();
            link.close();
            assertThat(link.isClosed()).isTrue();
            assertThat(handle.isActive()).isFalse();
            assertThat(space.links()).doesNotContain(link);
            assertThat(link.stats().datagramsToClient()).isEqualTo(1);
            assertThat(link.clients()).as("mappings end with the link").isEmpty();
            assertThat(link.events()).extracting(LinkEvent::type).containsSubsequence(LinkEvent.Type.FAULT_INJECTED,
                    LinkEvent.Type.ACCEPTED, LinkEvent.Type.FAULT_FIRED, LinkEvent.Type.CLOSED);
            assertThatThrownBy(() -> link.inject(Fault.loss(0.5))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'closing' is closed");
            assertThatThrownBy(link::partition).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> link.idleTimeout(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);

            client.send(Datagrams.seqOnly(2), link.endpoint());
            assertThat(client.receive(Duration.ofMillis(200))).as("nothing listens on the link's endpoint").isNull();
            assertThat(server.received()).isEqualTo(1);
        }
    }

    @Test
    void closingTheSpaceClosesItsUdpLinks() {
        UdpLink link;
        try (LoopbackSpace space = LoopbackSpace.open()) {
            link = space.udpLink(space.endpoint("server"));
        }
        assertThat(link.isClosed()).isTrue();
    }

    @Test
    void faultsAreListedInInjectionOrderAndClearedTogether() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            UdpLink link = space.udpLink(space.endpoint("server"));
            UdpFault loss = Fault.loss(0.1);
            UdpFault delay = Fault.latency(Duration.ofMillis(5)).toClient();
            FaultHandle lossHandle = link.inject(loss);
            link.inject(delay);
            assertThat(link.faults()).containsExactly(loss, delay);
            lossHandle.remove();
            lossHandle.remove();
            assertThat(link.faults()).containsExactly(delay);
            link.clear();
            assertThat(link.faults()).isEmpty();
            List<LinkEvent.Type> types = link.events().stream().map(LinkEvent::type).toList();
            assertThat(types).filteredOn(LinkEvent.Type.FAULT_REMOVED::equals).hasSize(2);
        }
    }
}
