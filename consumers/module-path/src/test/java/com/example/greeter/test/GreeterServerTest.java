package com.example.greeter.test;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.greeter.GreeterServer;
import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.FaultKind;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackAwait;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path, in module com.example.greeter.test; fields and parameters injected.
 * Awaitility's {@code await()} and {@code ConditionTimeoutException} are used without the test module
 * requiring Awaitility: {@code requires dev.loopback.junit} brings it.
 */
class GreeterServerTest {

    @LoopbackAddress("greeter") ServerSocketChannel listener;
    @LoopbackAddress("greeter") Endpoint greeter;

    @Test
    void greetsThroughALinkAndTheFirstConnectionIsReset(LoopbackSpace space) throws Exception {
        try (GreeterServer server = new GreeterServer(listener)) {
            assertThat(greeter).isListening().isBoundOnlyToItsAddress();
            TcpLink link = space.link("greeter", greeter);
            link.inject(Fault.reset().onConnection(1));
            assertThatThrownBy(() -> greet(link.endpoint(), "first"))
                    .isInstanceOf(SocketException.class);
            assertThat(greet(link.endpoint(), "second")).isEqualTo("hello, second");
            await().untilAsserted(() -> assertThat(link).hasInjected(FaultKind.RESET, 1).hasClosedConnections(2));
        }
    }

    @Test
    void everythingRunsAsNamedModules() {
        assertThat(GreeterServerTest.class.getModule().getName()).isEqualTo("com.example.greeter.test");
        assertThat(LoopbackAddress.class.getModule().getName()).isEqualTo("dev.loopback.junit");
        assertThat(Endpoint.class.getModule().getName()).isEqualTo("dev.loopback.core");
        assertThat(ConditionTimeoutException.class.getModule().getName()).isEqualTo("awaitility");
        assertThat(Test.class.getModule().getName()).isEqualTo("org.junit.jupiter.api");
    }

    @Test
    void aParameterIsInjectedToo(@LoopbackAddress Endpoint other) {
        assertThat(other.address()).isNotEqualTo(greeter.address());
    }

    @Test
    void loopbackAwaitWaitsForTheServerAndTimesOutAsAwaitilityDoes(@LoopbackAddress Endpoint nobody)
            throws Exception {
        try (GreeterServer server = new GreeterServer(listener)) {
            LoopbackAwait.untilListening(greeter);
        }
        LoopbackAwait.untilNotListening(greeter);
        assertThatThrownBy(() -> LoopbackAwait.untilListening(nobody, Duration.ofMillis(100)))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessageContaining(nobody.hostPort() + " to be listening");
    }

    private static String greet(Endpoint endpoint, String name) throws Exception {
        try (Socket socket = new Socket(endpoint.address(), endpoint.port())) {
            socket.setSoTimeout(10_000);
            new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8).println(name);
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (line == null) {
                throw new SocketException("closed before the answer");
            }
            return line;
        }
    }
}
