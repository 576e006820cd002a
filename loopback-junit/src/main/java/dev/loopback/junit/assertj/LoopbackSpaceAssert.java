package dev.loopback.junit.assertj;

import dev.loopback.LoopbackSpace;
import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link LoopbackSpace}. */
public final class LoopbackSpaceAssert extends AbstractAssert<LoopbackSpaceAssert, LoopbackSpace> {

    /** Creates the assertion; use {@code LoopbackAssertions.assertThat(space)}. */
    public LoopbackSpaceAssert(LoopbackSpace actual) {
        super(actual, LoopbackSpaceAssert.class);
    }

    /**
     * Verifies that no TCP listener and no bound UDP socket is on any host of the space (links'
     * hosts included) — the check the extension runs after each test, without the grace period.
     *
     * @throws UnsupportedOperationException where the platform has no socket tables (not Linux)
     * @throws IllegalStateException if the space fell back to {@code 127.0.0.1}, which it shares with
     *     every other process, so its sockets cannot be told apart
     */
    public LoopbackSpaceAssert hasNoListeners() {
        isNotNull();
        if (actual.isFallback()) {
            throw new IllegalStateException("hasNoListeners() cannot judge " + actual + ": it fell back to 127.0.0.1,"
                    + " which every process shares");
        }
        Map<InetAddress, String> names = new HashMap<>();
        actual.hosts().forEach((name, address) -> names.put(address, name));
        List<Listener> found = SocketInspector.listeners().stream()
                .filter(l -> names.containsKey(l.address()))
                .toList();
        if (!found.isEmpty()) {
            failWithMessage("Expecting no listeners on the hosts of the space (seed %d), but found: %s", actual.seed(),
                    found.stream().map(l -> l + " (host \"" + names.get(l.address()) + "\")")
                            .collect(Collectors.joining(", ")));
        }
        return this;
    }
}
