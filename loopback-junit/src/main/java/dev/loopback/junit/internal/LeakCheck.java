package dev.loopback.junit.internal;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import dev.loopback.junit.LeakMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Finds sockets still listening on a space's hosts after its own links and listeners closed. Where
 * the socket tables can be read (Linux) and the space has hosts of its own, every TCP listener and
 * bound UDP socket on those hosts counts; elsewhere (or on the shared {@code 127.0.0.1} of a
 * fallback space) only the endpoints the extension handed out are probed, over TCP — said once per
 * run in the log, so that the narrower check is not silent.
 *
 * <p><b>Wildcard listeners.</b> A TCP listener on {@code 0.0.0.0} or {@code [::]} that this JVM
 * opened during the test and still holds counts too, if no other Loopback test ran meanwhile; if
 * others did, it is a warning naming them all once the last of them ended ({@link WildcardLeaks}
 * says why and what it cannot see).
 *
 * <p><b>Garbage.</b> The JDK closes an unreferenced {@code DatagramChannel} or {@code ServerSocket}
 * when the garbage collector finds it (a {@code ServerSocketChannel} or {@code DatagramSocket} stays
 * open; JDK 17 and 25). Whether a collection happens to run during the grace
 * period must not decide the verdict, so before declaring a leak the check runs one and looks again:
 * sockets that close then were garbage — reported as a warning, never as a failure.
 */
public final class LeakCheck {

    private static final System.Logger LOG = System.getLogger("dev.loopback.junit.LoopbackExtension");
    /** How long the cleaner gets to close collected sockets after the forced collection. */
    private static final Duration AFTER_COLLECTION = Duration.ofSeconds(1);
    private static final AtomicBoolean NO_TABLES_LOGGED = new AtomicBoolean();
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();
    /** Ends the description of a wildcard listener this scope opened alone. */
    private static final String WILDCARD_SUFFIX = ", opened by this JVM";

    private LeakCheck() {}

    /**
     * What was found: the sockets still there ({@code tcp 127.64.3.9:8080 (host "web")}), those
     * that closed only when garbage-collected, wildcard listeners one of several tests that ran at
     * once left ({@code suspects}), the threads waiting in accept() and the leaked listeners of
     * other processes.
     */
    record Result(List<String> leaked, List<String> collected, Duration waited, List<String> suspects,
            List<String> acceptors, List<String> elsewhere) {

        boolean clean() {
            return leaked.isEmpty();
        }

        String message(LeakMode mode, String after) {
            String advice = mode == LeakMode.FAIL
                    ? " Close every server and socket before " + after + " ends (or in an @AfterEach / @AfterAll"
                            + " method), give slow closers longer with @LoopbackLeaks(grace = \"5 s\") or "
                            + "loopback.leaks.grace, or downgrade the check with loopback.leaks=warn."
                    : "";
            boolean wildcard = leaked.stream().anyMatch(l -> l.endsWith(WILDCARD_SUFFIX));
            return "Loopback leak check: still listening after " + after + " (waited " + waited.toMillis()
                    + " ms after closing the space's links and listeners): " + String.join(", ", leaked) + "."
                    + (wildcard ? wildcardAdvice(after) : "")
                    + (elsewhere.isEmpty() ? "" : " Not this JVM's: " + String.join(", ", elsewhere) + " (a lease keeps"
                            + " other Loopback tests off a host, not other programs).")
                    + advice;
        }

        private String wildcardAdvice(String after) {
            return " No other Loopback test ran meanwhile, so the wildcard listener is " + after + "'s: it takes its"
                    + " port on every address of the machine and is reachable from other machines. Bind that server"
                    + " to its own address instead of 0.0.0.0 or [::]."
                    + (acceptors.isEmpty() ? "" : " Waiting in accept() now: " + String.join(", ", acceptors) + ".");
        }

        String collectedWarning(String after) {
            return "Loopback leak check: still open after " + after + " until a garbage collection closed them: "
                    + String.join(", ", collected) + ". The test dropped these sockets without closing them; the"
                    + " JDK closes such a socket when it collects it, so it is not counted as a leak, but until then"
                    + " it held its port. Close it in the test.";
        }

        String suspectsWarning(String after) {
            return "Loopback leak check: still open after " + after + " and every test that ran beside it: "
                    + String.join("; ", suspects) + ". Those tests ran at the same time, and a socket does not tell"
                    + " which test opened it, so it is not counted as a leak of any of them. Whichever did: bind to"
                    + " its own address instead of 0.0.0.0 or [::], and close it (run it under @Isolated to have it"
                    + " judged alone).";
        }
    }

    /**
     * Runs the check for a scope's {@code space} (null if the test closed the space itself, so its
     * hosts are not its own any more) and its {@code life}, which has just ended.
     */
    static Result run(@Nullable LoopbackSpace space, List<Endpoint> endpoints, Duration grace,
            WildcardLeaks.Life life) {
        Supplier<List<Listener>> tables = SocketInspector.canListListeners() ? SocketInspector::listeners : List::of;
        List<Listener> now = tables.get(); // one read of the tables serves every question of a clean test
        boolean alone = WildcardLeaks.alone(life);
        if (!alone) {
            WildcardLeaks.suspect(life, now);
        }
        List<String> suspects = WildcardLeaks.settle(life, now).stream().map(WildcardLeaks.Suspect::describe).toList();
        Function<List<Listener>, List<String>> hosts = space == null || space.hosts().isEmpty()
                ? all -> List.of() : probe(space, endpoints);
        Function<List<Listener>, List<String>> found = !alone ? hosts : all -> {
            List<String> listed = new ArrayList<>(hosts.apply(all));
            WildcardLeaks.opened(life, all).forEach(l -> listed.add(WildcardLeaks.describe(l) + WILDCARD_SUFFIX));
            return listed;
        };
        Supplier<List<String>> probe = () -> found.apply(tables.get());
        if (found.apply(now).isEmpty()
                || Poll.until("sockets on the space's hosts to close", grace, () -> probe.get().isEmpty())) {
            return new Result(List.of(), List.of(), grace, suspects, List.of(), List.of());
        }
        List<String> beforeCollection = probe.get();
        System.gc(); // see the class comment: garbage sockets close now rather than by chance
        Poll.until("garbage sockets to close", AFTER_COLLECTION, () -> probe.get().isEmpty());
        List<String> leaked = probe.get();
        List<String> collected = new ArrayList<>(beforeCollection);
        collected.removeAll(leaked);
        List<String> acceptors = leaked.stream().anyMatch(l -> l.endsWith(WILDCARD_SUFFIX))
                ? WildcardLeaks.acceptingThreads() : List.of();
        List<String> elsewhere = space == null || leaked.isEmpty() ? List.of() : AddressInUse.holders(space);
        if (alone) {
            WildcardLeaks.claim(WildcardLeaks.opened(life, tables.get()));
        }
        return new Result(leaked, collected, grace, suspects, acceptors, elsewhere);
    }

    /**
     * Returns every TCP listener and bound UDP socket on the hosts of {@code space}, described as
     * {@code tcp 127.64.3.9:8080 (host "web")}.
     *
     * @throws UnsupportedOperationException where the platform has no socket tables
     */
    public static List<String> listenersOnHosts(LoopbackSpace space) {
        return onHosts(space, SocketInspector.listeners());
    }

    private static List<String> onHosts(LoopbackSpace space, List<Listener> listeners) {
        Map<InetAddress, String> names = new HashMap<>();
        space.hosts().forEach((name, address) -> names.merge(address, name, (a, b) -> a + "\", \"" + b));
        return listeners.stream()
                .filter(l -> names.containsKey(l.address()))
                .map(l -> describe(l, names.get(l.address())))
                .distinct()
                .toList();
    }

    /** Returns what still listens on the space's hosts, from the tables' {@code listeners} where there are tables. */
    private static Function<List<Listener>, List<String>> probe(LoopbackSpace space, List<Endpoint> endpoints) {
        if (!SocketInspector.canListListeners()) {
            logOnce(NO_TABLES_LOGGED, "Loopback leak check: this platform (" + System.getProperty("os.name")
                    + ") has no socket tables (/proc/net/tcp is Linux's), so after each test only the endpoints"
                    + " injected by @LoopbackAddress are probed, with a TCP connection; UDP sockets and other ports"
                    + " of the space's hosts are not seen.");
        } else if (space.isFallback()) {
            logOnce(FALLBACK_LOGGED, "Loopback leak check: the spaces fell back to 127.0.0.1, which every process"
                    + " shares, so after each test only the endpoints injected by @LoopbackAddress are probed, with a"
                    + " TCP connection; UDP sockets and other ports are not seen.");
        } else {
            return listeners -> onHosts(space, listeners);
        }
        return ignored -> endpoints.stream()
                .filter(SocketInspector::isListening)
                .map(e -> "tcp " + e.hostPort())
                .toList();
    }

    private static void logOnce(AtomicBoolean logged, String message) {
        if (logged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, message);
        }
    }

    private static String describe(Listener listener, String hostName) {
        return listener + " (host \"" + hostName + "\")";
    }
}
