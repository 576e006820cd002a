package dev.loopback.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.loopback.inspect.SocketInspector;
import org.junit.jupiter.api.Test;

/** Checks that need the kernel's socket tables say so where there are none. */
class SocketTablesTest {

    @Test
    void withoutSocketTablesTheCheckNamesItselfThePlatformAndTheWayToSkipIt() {
        assertThat(SocketTables.unavailable("isBoundOnlyToItsAddress()", "Windows 11"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("isBoundOnlyToItsAddress() reads the kernel's socket tables (/proc/net/tcp")
                .hasMessageContaining("which Linux has and Windows 11 has not")
                .hasMessageEndingWith("assumeTrue(SocketInspector.canListListeners())");
    }

    @Test
    void withSocketTablesTheCheckRuns() {
        if (SocketInspector.canListListeners()) {
            assertThatNoException().isThrownBy(() -> SocketTables.require("hasNoListeners()"));
        }
    }
}
