package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** The platform policies, with the probe's answer injected (Linux binds all of 127/8). */
class PlatformPolicyTest {

    private static final String ALIAS_FIX = "for a in $(seq 1 254); do sudo ifconfig lo0 alias 127.64.0.$a up; done";

    @Test
    void linuxBindsTheDefaultPool() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThat(space.isFallback()).isFalse();
        }
    }

    @Test
    void fallbackUses127001WithKernelAssignedPorts() throws IOException {
        try (LoopbackSpace space = LoopbackSpace.builder().assumeLoopbackAliases(false).open()) {
            assertThat(space.isFallback()).isTrue();
            assertThat(space.host("db")).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(space.host("web")).isEqualTo(InetAddress.getLoopbackAddress());

            Endpoint endpoint = space.endpoint("db");
            ServerSocketChannel listener = space.bind("web");

            assertThat(endpoint.hostPort()).startsWith("127.0.0.1:");
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort());
                    SocketChannel accepted = listener.accept()) {
                assertThat(accepted.isConnected()).isTrue();
            }
        }
    }

    @Test
    void fallbackRefusesFixedPortsExplainingWhyAndTheFix() {
        try (LoopbackSpace space = LoopbackSpace.builder().assumeLoopbackAliases(false).open()) {
            assertThatIllegalStateException()
                    .isThrownBy(() -> space.endpoint("web", 8080))
                    .withMessageContaining("fixed port 8080 refused")
                    .withMessageContaining("fell back to 127.0.0.1 where other processes share every port")
                    .withMessageContaining("endpoint(\"web\")")
                    .withMessageContaining(ALIAS_FIX);
            assertThatIllegalStateException().isThrownBy(() -> space.bind("web", 8080));
        }
    }

    @Test
    void skipThrowsUnavailableMarkedSkip() {
        assertThatThrownBy(() -> LoopbackSpace.builder()
                        .assumeLoopbackAliases(false).platformPolicy(PlatformPolicy.SKIP).open())
                .isInstanceOfSatisfying(LoopbackUnavailableException.class,
                        e -> assertThat(e.policy()).isEqualTo(PlatformPolicy.SKIP))
                .hasMessageStartingWith("skipped: this platform cannot bind loopback addresses beyond 127.0.0.1");
    }

    @Test
    void failThrowsUnavailableWithTheAliasCommand() {
        assertThatThrownBy(() -> LoopbackSpace.builder()
                        .assumeLoopbackAliases(false).platformPolicy(PlatformPolicy.FAIL).open())
                .isInstanceOfSatisfying(LoopbackUnavailableException.class,
                        e -> assertThat(e.policy()).isEqualTo(PlatformPolicy.FAIL))
                .hasMessageContaining("cannot bind loopback addresses beyond 127.0.0.1")
                .hasMessageContaining(ALIAS_FIX)
                .hasMessageContaining("narrow the pool to 127.64.0.0/24");
    }

    @Test
    void aliasCommandCoversASmallPoolExactly() {
        assertThatThrownBy(() -> LoopbackSpace.builder().pool("127.201.5.8/29")
                        .assumeLoopbackAliases(false).platformPolicy(PlatformPolicy.FAIL).open())
                .hasMessageEndingWith("Fix: for a in $(seq 8 15); do sudo ifconfig lo0 alias 127.201.5.$a up; done");
    }

    @Test
    void policiesOnlyApplyWhereAliasesAreMissing() {
        for (PlatformPolicy policy : PlatformPolicy.values()) {
            try (LoopbackSpace space = LoopbackSpace.builder().assumeLoopbackAliases(true).platformPolicy(policy).open()) {
                assertThat(space.isFallback()).isFalse();
                assertThat(space.host("db")).isNotEqualTo(InetAddress.getLoopbackAddress());
            }
        }
    }
}
