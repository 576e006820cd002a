package dev.loopback.junit.internal;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import dev.loopback.junit.LeakMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Finds sockets still listening on a space's hosts after its own links and listeners closed. Where
 * the socket tables can be read (Linux) and the space has hosts of its own, every TCP listener and
 * bound UDP socket on those hosts counts; elsewhere (or on the shared {@code 127.0.0.1} of a
 * fallback space) only the endpoints the extension handed out are probed, over TCP.
 */
public final class LeakCheck {

    private LeakCheck() {}

    /** What was found: the leaked sockets, described ({@code tcp 127.64.3.9:8080 (host "web")}). */
    record Result(List<String> leaked, Duration waited) {

        boolean clean() {
            return leaked.isEmpty();
        }

        String message(LeakMode mode, String after) {
            String advice = mode == LeakMode.FAIL
                    ? " Close every server and socket before " + after + " ends (or in an @AfterEach / @AfterAll"
                            + " method), give slow closers longer with @LoopbackLeaks(grace = \"5 s\") or "
                            + "loopback.leaks.grace, or downgrade the check with loopback.leaks=warn."
                    : "";
            return "Loopback leak check: still listening after " + after + " (waited " + waited.toMillis()
                    + " ms after closing the space's links and listeners): " + String.join(", ", leaked) + "."
                    + advice;
        }
    }

    static Result run(LoopbackSpace space, List<Endpoint> endpoints, Duration grace) {
        if (space.hosts().isEmpty()) {
            return new Result(List.of(), Duration.ZERO);
        }
        Supplier<List<String>> probe = probe(space, endpoints);
        List<String> found = probe.get();
        if (found.isEmpty()) {
            return new Result(found, Duration.ZERO);
        }
        if (Poll.until(grace, () -> probe.get().isEmpty())) {
            return new Result(List.of(), grace);
        }
        found = probe.get();
        return new Result(found, grace);
    }

    /**
     * Returns every TCP listener and bound UDP socket on the hosts of {@code space}, described as
     * {@code tcp 127.64.3.9:8080 (host "web")}.
     *
     * @throws UnsupportedOperationException where the platform has no socket tables
     */
    public static List<String> listenersOnHosts(LoopbackSpace space) {
        Map<InetAddress, String> names = new HashMap<>();
        space.hosts().forEach((name, address) -> names.merge(address, name, (a, b) -> a + "\", \"" + b));
        return SocketInspector.listeners().stream()
                .filter(l -> names.containsKey(l.address()))
                .map(l -> describe(l, names.get(l.address())))
                .distinct()
                .toList();
    }

    private static Supplier<List<String>> probe(LoopbackSpace space, List<Endpoint> endpoints) {
        if (SocketInspector.canListListeners() && !space.isFallback()) {
            return () -> listenersOnHosts(space);
        }
        return () -> endpoints.stream()
                .filter(SocketInspector::isListening)
                .map(e -> "tcp " + e.hostPort())
                .toList();
    }

    private static String describe(Listener listener, String hostName) {
        return listener + " (host \"" + hostName + "\")";
    }
}
