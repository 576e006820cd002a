package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.internal.lease.HostLeaseAcrossJvmsTest;
import dev.loopback.testing.tcp.TestServer;
import java.net.ConnectException;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

class TcpLinkRefuseTest {

    // A child JVM spawned while a listener closes keeps it open for a few milliseconds (it inherits
    // every descriptor until it closes them), so this does not run while one starts.
    @ResourceLock(HostLeaseAcrossJvmsTest.SPAWNS_CHILD_JVMS)
    @Test
    void refuseMakesNewConnectionsSeeConnectionRefusedAndLiveOnesCarryOn() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 2)) {
            TcpLink link = space.link(server.endpoint());
            try (Socket live = connect(link)) {
                FaultHandle refuse = link.inject(Fault.refuse());
                assertThatThrownBy(() -> connect(link))
                        .isInstanceOf(ConnectException.class).hasMessageContaining("Connection refused");
                live.getOutputStream().write(3);
                assertThat(live.getInputStream().read()).isEqualTo(3);

                refuse.remove();
                try (Socket again = connect(link)) {
                    again.getOutputStream().write(4);
                    assertThat(again.getInputStream().read()).as("same endpoint accepts again").isEqualTo(4);
                }
            }
            assertThat(link.stats().injected(FaultKind.REFUSE)).isEqualTo(1);
            assertThat(link.events()).extracting(LinkEvent::type).contains(LinkEvent.Type.REFUSED);
        }
    }

    @Test
    void refuseWithProbabilityZeroKeepsAccepting() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.refuse().probability(0));
            try (Socket client = connect(link)) {
                client.getOutputStream().write(1);
                assertThat(client.getInputStream().read()).isEqualTo(1);
            }
        }
    }
}
