package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.loopback.internal.lease.HostLeaseAcrossJvmsTest;
import dev.loopback.testing.process.Squatter;
import dev.loopback.testing.process.SquatterProcess;
import dev.loopback.testing.process.SquatterProcess.As;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a lease keeps off a host and what it does not, as the guide states it: other Loopback users
 * cannot lease it, but another program can bind a port of it handed out by {@code endpoint()} (and
 * clients then reach that program); a listener handed over by {@code bind()} leaves no gap, on the
 * host or on the wildcard.
 */
@ResourceLock(HostLeaseAcrossJvmsTest.SPAWNS_CHILD_JVMS)
class LeaseScopeTest {

    @ParameterizedTest(name = "the other program runs as {0}")
    @EnumSource(As.class)
    void anotherProgramCanTakeAHandedOutPortButNotAListeningOne(As as) throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            Endpoint handedOut = space.endpoint("web");
            try (SquatterProcess other = SquatterProcess.listen(as, handedOut.hostText(), handedOut.port())) {
                assertThat(other.outcome()).as("the lease does not keep other programs off the port").startsWith("BOUND ");
                try (Socket client = new Socket(handedOut.address(), handedOut.port())) {
                    assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                            .as("a client dialling the endpoint before the test's server binds").isEqualTo(Squatter.GREETING);
                }
                assertThatIllegalStateException().as("the space's own bind of it names the holder")
                        .isThrownBy(() -> space.bind("web", handedOut.port()))
                        .withMessageContaining("cannot bind " + handedOut.hostPort() + " (Address already in use)")
                        .withMessageContaining("held by pid " + other.pid() + " (java, user "
                                + (as == As.NOBODY ? "nobody" : System.getProperty("user.name")) + ")");
            }

            ServerSocketChannel listening = space.bind("api");
            int port = listening.socket().getLocalPort();
            String host = space.host("api").getHostAddress();
            try (SquatterProcess onHost = SquatterProcess.listen(as, host, port);
                    SquatterProcess onWildcard = SquatterProcess.listen(as, "0.0.0.0", port)) {
                assertThat(onHost.outcome()).as("another program binding the listening endpoint")
                        .startsWith("FAILED java.net.BindException").contains("Address already in use");
                assertThat(onWildcard.outcome()).as("another program binding its port on the wildcard")
                        .startsWith("FAILED java.net.BindException").contains("Address already in use");
            }
        }
    }
}
