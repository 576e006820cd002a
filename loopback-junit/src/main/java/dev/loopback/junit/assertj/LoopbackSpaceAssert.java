package dev.loopback.junit.assertj;

import dev.loopback.LoopbackSpace;
import dev.loopback.junit.internal.LeakCheck;
import dev.loopback.junit.internal.SocketTables;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link LoopbackSpace}. */
public final class LoopbackSpaceAssert extends AbstractAssert<LoopbackSpaceAssert, LoopbackSpace> {

    /**
     * Creates the assertion; use {@code LoopbackAssertions.assertThat(space)}.
     *
     * @param actual the space to check
     */
    public LoopbackSpaceAssert(LoopbackSpace actual) {
        super(actual, LoopbackSpaceAssert.class);
    }

    /**
     * Verifies that no TCP listener and no bound UDP socket is on any host of the space (links'
     * hosts included) — the check the extension runs after each test, without the grace period.
     *
     * @return this assertion, to chain more checks
     * @throws UnsupportedOperationException where the platform has no socket tables (not Linux), saying
     *     so: skip the check there with {@code assumeTrue(SocketInspector.canListListeners())}
     * @throws IllegalStateException if the space fell back to {@code 127.0.0.1}, which it shares with
     *     every other process, so its sockets cannot be told apart
     */
    public LoopbackSpaceAssert hasNoListeners() {
        isNotNull();
        SocketTables.require("hasNoListeners()");
        if (actual.isFallback()) {
            throw new IllegalStateException("hasNoListeners() cannot judge " + actual + ": it fell back to 127.0.0.1,"
                    + " which every process shares");
        }
        List<String> found = LeakCheck.listenersOnHosts(actual);
        if (!found.isEmpty()) {
            failWithMessage("Expecting no listeners on the hosts of the space (seed %d), but found: %s", actual.seed(),
                    String.join(", ", found));
        }
        return this;
    }
}
