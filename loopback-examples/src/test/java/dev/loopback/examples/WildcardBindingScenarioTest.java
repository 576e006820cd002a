package dev.loopback.examples;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.Endpoint;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@LoopbackTest
@DisplayName("Exposure: a service that binds 0.0.0.0 instead of its address is caught")
class WildcardBindingScenarioTest {

    /** The code under test: a service whose bind address comes from configuration. */
    static ServerSocket startService(InetSocketAddress bindAddress) throws Exception {
        ServerSocket server = new ServerSocket();
        server.bind(bindAddress);
        return server;
    }

    @Test
    @DisplayName("bound to its own address, the service passes isBoundOnlyToItsAddress()")
    void serviceBoundToItsAddressPasses(@LoopbackAddress("svc") Endpoint svc, TestReporter reporter)
            throws Exception {
        try (ServerSocket server = startService(svc.socketAddress())) {
            assertThat(svc).isListening().isBoundOnlyToItsAddress();
            reporter.publishEntry("observed", "listening only on " + svc.hostPort());
        }
    }

    @Test
    @DisplayName("bound to the wildcard, the service fails isBoundOnlyToItsAddress() with what was found")
    void serviceBoundToWildcardIsCaught(@LoopbackAddress("svc") InetAddress svc, TestReporter reporter)
            throws Exception {
        // the bug: the configured host is ignored and the service binds every address (on a port
        // the kernel picks, so that it is free on every address)
        try (ServerSocket server = startService(new InetSocketAddress(0))) {
            Endpoint announced = new Endpoint(svc, server.getLocalPort());
            assertThatThrownBy(() -> assertThat(announced).isBoundOnlyToItsAddress())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining(":" + announced.port())
                    .hasMessageContaining("expected only " + announced.hostPort())
                    .satisfies(e -> reporter.publishEntry("observed", e.getMessage().lines()
                            .filter(l -> !l.isBlank()).findFirst().orElse("").trim()));
        }
    }
}
