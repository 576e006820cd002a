package dev.loopback.internal.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopback.Fault;
import dev.loopback.LinkEvent;
import dev.loopback.LoopbackSpace;
import dev.loopback.UdpLink;
import dev.loopback.UdpStats.DropCause;
import dev.loopback.testing.udp.Datagrams;
import dev.loopback.testing.udp.UdpEchoServer;
import dev.loopback.testing.udp.UdpPeer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The UDP error policy: a failure drops the datagram and closes its client mapping, never the link. */
class UdpEngineErrorTest {

    private static final Duration REPLY = Duration.ofSeconds(5);

    @Test
    void aFailureDropsTheDatagramClosesItsMappingAndTheNextDatagramGetsThrough() {
        IllegalStateException boom = new IllegalStateException("fault state failed on purpose");
        AtomicBoolean failed = new AtomicBoolean();
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer server = UdpEchoServer.start(space.host("server"));
                UdpPeer client = UdpPeer.bind(space.host("client"))) {
            UdpLink link = space.udpLink(server.endpoint());
            ((UdpRelay) link).stateFactory((fault, clientId) -> {
                if (failed.compareAndSet(false, true)) {
                    throw boom;
                }
                return ClientMapping.stateOf(fault, clientId);
            });
            link.inject(Fault.loss(0));

            client.send(Datagrams.seqOnly(1), link.endpoint());
            await().atMost(REPLY).until(() -> link.stats().engineErrors() == 1);
            assertThat(link.stats().dropped(DropCause.ENGINE_ERROR)).isEqualTo(1);
            LinkEvent error = link.events().stream().filter(e -> e.type() == LinkEvent.Type.ENGINE_ERROR).findFirst()
                    .orElseThrow();
            assertThat(error.error()).isSameAs(boom);
            assertThat(error.connection()).isEqualTo(1);
            assertThat(error.detail()).contains("client mapping closed").contains("failed on purpose");

            client.send(Datagrams.seqOnly(2), link.endpoint());
            UdpPeer.Received reply = client.receive(REPLY);
            assertThat(reply).as("the link still forwards").isNotNull();
            assertThat(Datagrams.seqOf(reply.data())).isEqualTo(2);
            assertThat(link.isClosed()).isFalse();
            assertThat(link.clients()).singleElement().satisfies(c -> assertThat(c.id()).as("a new mapping").isEqualTo(2));
        }
    }
}
