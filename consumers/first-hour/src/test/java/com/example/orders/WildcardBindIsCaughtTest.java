package com.example.orders;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.Endpoint;
import dev.loopback.junit.LoopbackAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The guide's recipe (docs/guide/06-assertions-and-waits.md) for "start my server the wrong way and check that the assertion catches it":
 * bind the wildcard on a port the kernel picks (free on every address), never on the injected
 * endpoint's port (free on the test's own host only, so "Address already in use" now and then).
 */
class WildcardBindIsCaughtTest {

    @RepeatedTest(8)
    void aServerOnTheWildcardFailsIsBoundOnlyToItsAddress(@LoopbackAddress("svc") InetAddress svc) throws Exception {
        try (ServerSocket wrong = new ServerSocket()) {
            wrong.bind(new InetSocketAddress(0));                   // the mistake: every address
            Endpoint announced = new Endpoint(svc, wrong.getLocalPort());
            assertThatThrownBy(() -> assertThat(announced).isBoundOnlyToItsAddress())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("expected only " + announced.hostPort());
        }
    }
}
