package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.testing.tcp.TestServer;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** Faults that keep connections open but stop data: blackhole, freeze, partition. */
class TcpLinkHoldTest {

    @Test
    void blackholeDropsDataAndKeepsTheConnectionOpen() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            try (Socket client = connect(link)) {
                FaultHandle hole = link.inject(Fault.blackhole().toServer());
                client.getOutputStream().write("lost".getBytes());
                client.setSoTimeout(300);
                assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThat(link.stats().active()).isEqualTo(1);
                hole.remove();
                client.setSoTimeout(10_000);
                client.getOutputStream().write("kept".getBytes());
                assertThat(client.getInputStream().readNBytes(4)).as("dropped bytes never arrive").isEqualTo("kept".getBytes());
            }
            assertThat(link.stats().bytesToServer()).isEqualTo(4);
        }
    }

    @Test
    void freezeHoldsDataAndDeliversAllOfItOnRemoval() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            try (Socket client = connect(link)) {
                FaultHandle freeze = link.inject(Fault.freeze());
                client.getOutputStream().write("held".getBytes());
                client.setSoTimeout(300);
                assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                client.getOutputStream().write("more".getBytes());
                freeze.remove();
                client.setSoTimeout(10_000);
                assertThat(client.getInputStream().readNBytes(8)).isEqualTo("heldmore".getBytes());
            }
        }
    }

    @Test
    void partitionHoldsLiveAndNewConnectionsUntilHeal() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 2)) {
            TcpLink link = space.link(server.endpoint());
            try (Socket live = connect(link)) {
                live.getOutputStream().write(1);
                assertThat(live.getInputStream().read()).isEqualTo(1);
                link.partition();
                assertThat(link.isPartitioned()).isTrue();
                live.getOutputStream().write(2);
                try (Socket fresh = connect(link)) {
                    fresh.getOutputStream().write(3);
                    fresh.setSoTimeout(300);
                    live.setSoTimeout(300);
                    assertThatThrownBy(() -> live.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                    assertThatThrownBy(() -> fresh.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                    assertThat(server.accepted()).as("new connections are not forwarded during a partition").isEqualTo(1);
                    link.heal();
                    fresh.setSoTimeout(10_000);
                    live.setSoTimeout(10_000);
                    assertThat(live.getInputStream().read()).isEqualTo(2);
                    assertThat(fresh.getInputStream().read()).isEqualTo(3);
                }
            }
            assertThat(link.events()).extracting(LinkEvent::type).contains(LinkEvent.Type.PARTITIONED, LinkEvent.Type.HEALED);
        }
    }
}
