package dev.loopback.junit.internal;

import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds TCP listeners on the wildcard address ({@code 0.0.0.0}, {@code [::]}) that this JVM opened
 * while a test (or class) ran and that are still open when it ends — reachable from every address of
 * the machine, not only the space's hosts, so the leak check's look at the space's own hosts does not
 * see them.
 *
 * <p><b>Before the test.</b> When a scope opens, the inodes of every wildcard TCP listener are
 * noted; only listeners that appeared since, and that a descriptor of this process holds, count.
 *
 * <p><b>Attribution.</b> A socket does not say which thread opened it. So every scope's life is
 * recorded on one clock shared by the JVM (both the outer JUnit engine and any EngineTestKit run
 * inside it): a new listener is blamed on a scope only if no other scope — other than its own class's
 * or its own tests' — lived at any moment of its life. Otherwise the scope is told the listener may be
 * its own or one of the others' it names, which the extension reports as a warning, never a failure.
 * Tests that do not use the extension are not recorded: a wildcard listener one of them opens while a
 * Loopback test runs alone is blamed on that test. Each listener is reported once.
 */
final class WildcardLeaks {

    private static final List<Life> LIVES = new ArrayList<>(); // guarded by LIVES
    private static final Set<Long> REPORTED = ConcurrentHashMap.newKeySet();
    private static long clock; // guarded by LIVES

    private WildcardLeaks() {}

    /** The life of one scope: its JUnit unique id and display name, and the wildcard listeners there before. */
    static final class Life {
        private final String id;
        private final String name;
        private final Set<Long> before;
        private final long start;
        private long end = Long.MAX_VALUE; // guarded by LIVES

        private Life(String id, String name, Set<Long> before, long start) {
            this.id = id;
            this.name = name;
            this.before = before;
            this.start = start;
        }

        private boolean related(Life other) {
            return other == this || other.id.startsWith(id + "/") || id.startsWith(other.id + "/");
        }
    }

    /**
     * What the check found: the wildcard listeners this JVM opened during the scope, and the other
     * scopes that lived meanwhile (empty if the scope ran alone, so the listeners are its own).
     */
    record Found(List<Listener> listeners, List<String> others) {
        static final Found NONE = new Found(List.of(), List.of());
    }

    /**
     * Starts a scope's life; with {@code check}, notes the wildcard listeners there now (none where
     * there are no socket tables). A scope that is not checked still counts as another scope for
     * those that are.
     */
    static Life begin(String uniqueId, String displayName, boolean check) {
        Set<Long> before = new HashSet<>();
        if (check && SocketInspector.canListListeners()) {
            for (Listener listener : wildcardTcpListeners()) {
                before.add(listener.inode());
            }
        }
        synchronized (LIVES) {
            Life life = new Life(uniqueId, displayName, before, ++clock);
            LIVES.add(life);
            return life;
        }
    }

    /** Ends {@code life} (once; later calls do nothing); forgets lives that no live scope overlaps any more. */
    static void end(Life life) {
        synchronized (LIVES) {
            if (life.end != Long.MAX_VALUE) {
                return;
            }
            life.end = ++clock;
            long oldestLive = LIVES.stream().filter(l -> l.end == Long.MAX_VALUE).mapToLong(l -> l.start)
                    .min().orElse(Long.MAX_VALUE);
            LIVES.removeIf(l -> l.end < oldestLive);
        }
    }

    /** Returns the wildcard TCP listeners this JVM opened during {@code life} and not reported yet. */
    static List<Listener> opened(Life life) {
        if (!SocketInspector.canListListeners()) {
            return List.of();
        }
        return wildcardTcpListeners().stream()
                .filter(l -> !life.before.contains(l.inode()) && !REPORTED.contains(l.inode()))
                .filter(l -> ProcessSockets.ownedByThisProcess(l.inode()))
                .toList();
    }

    /** Returns the display names of the scopes other than its own class's and tests' that lived during {@code life}. */
    static List<String> others(Life life) {
        synchronized (LIVES) {
            return LIVES.stream().filter(l -> !life.related(l) && l.end > life.start).map(l -> l.name).distinct()
                    .toList();
        }
    }

    /**
     * Marks {@code listeners} as reported, so that no other scope reports them again; returns those
     * no other scope had marked before (two scopes ending at once do not both report one).
     */
    static List<Listener> claim(List<Listener> listeners) {
        return listeners.stream().filter(l -> REPORTED.add(l.inode())).toList();
    }

    /**
     * Describes {@code listener} in the user's words: {@code tcp [::]:23457 (every IPv6 and IPv4
     * address, 0.0.0.0:23457 included)}, {@code tcp 0.0.0.0:23457 (every IPv4 address)}.
     */
    static String describe(Listener listener) {
        return "tcp " + listener.describe() + (listener.address() instanceof java.net.Inet4Address
                ? " (every IPv4 address)" : "");
    }

    /**
     * Names the threads of this JVM blocked in a TCP accept, with the first frame outside the JDK,
     * as a hint to who serves a leaked listener ({@code thread "leaky" in com.example.Server.run});
     * empty if none.
     */
    static List<String> acceptingThreads() {
        List<String> threads = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] stack = thread.getValue();
            if (stack.length > 0 && accepting(stack)) {
                threads.add("thread \"" + thread.getKey().getName() + "\"" + firstOwnFrame(stack));
            }
        }
        return threads;
    }

    private static boolean accepting(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(stack.length, 12); i++) {
            if (stack[i].getMethodName().equals("accept") && (stack[i].getClassName().startsWith("sun.nio.ch.")
                    || stack[i].getClassName().equals("java.net.ServerSocket"))) {
                return true;
            }
        }
        return false;
    }

    private static String firstOwnFrame(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String type = frame.getClassName();
            if (!(type.startsWith("java.") || type.startsWith("sun.") || type.startsWith("jdk.")
                    || type.startsWith("com.sun."))) {
                return " in " + type + "." + frame.getMethodName();
            }
        }
        return "";
    }

    private static List<Listener> wildcardTcpListeners() {
        return SocketInspector.listeners().stream()
                .filter(l -> l.protocol() == Listener.Protocol.TCP && l.isWildcard() && l.inode() != 0)
                .toList();
    }
}
