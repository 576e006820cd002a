package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.internal.lease.HostLeaseAcrossJvmsTest;
import dev.loopback.testing.process.SquatterProcess;
import dev.loopback.testing.process.SquatterProcess.As;
import dev.loopback.testing.tcp.TestServer;
import java.net.ConnectException;
import java.net.Socket;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** While refusing, a link keeps its port: another process cannot take the endpoint, and listening again cannot fail. */
@ResourceLock(HostLeaseAcrossJvmsTest.SPAWNS_CHILD_JVMS)
class TcpLinkRefuseHoldsPortTest {

    @ParameterizedTest(name = "squatter runs as {0}")
    @EnumSource(As.class)
    void anotherProcessCannotTakeARefusingLinksEndpointAndTheLinkListensAgainAfterRemove(As as) throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            FaultHandle refuse = link.inject(Fault.refuse());

            try (SquatterProcess squatter = SquatterProcess.listen(as, link.endpoint().hostText(), link.endpoint().port())) {
                assertThat(squatter.outcome()).as("another process binding the refusing link's endpoint")
                        .startsWith("FAILED java.net.BindException").contains("Address already in use");
                assertThatThrownBy(() -> connect(link))
                        .isInstanceOf(ConnectException.class).hasMessageContaining("Connection refused");

                refuse.remove();
            }
            assertThat(link.events()).extracting(LinkEvent::type)
                    .contains(LinkEvent.Type.FAULT_REMOVED).doesNotContain(LinkEvent.Type.ENGINE_ERROR);
            try (Socket client = connect(link)) {
                client.getOutputStream().write(7);
                assertThat(client.getInputStream().read()).as("the real server's echo, through the link").isEqualTo(7);
            }
        }
    }
}
