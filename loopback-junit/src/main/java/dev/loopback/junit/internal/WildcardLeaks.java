package dev.loopback.junit.internal;

import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import java.util.ArrayList;
import java.util.HashMap;
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
 * inside it). A new listener is the scope's own if no other scope — other than its own class's or its
 * own tests' — lived at any moment of its life: then it fails the check. Otherwise it may be the
 * listener of a test still running, in use: it becomes a suspect of all those scopes, and only when
 * the last of them ends with it still open is it reported, once, as a warning naming them all (a
 * suspect whose last scope is not checked, {@code loopback.leaks=off}, is not reported). Tests that
 * do not use the extension are not recorded: a wildcard listener one of them opens while a Loopback
 * test runs alone is blamed on that test.
 */
final class WildcardLeaks {

    private static final List<Life> LIVES = new ArrayList<>(); // guarded by LIVES
    private static final Map<Long, Suspect> SUSPECTS = new HashMap<>(); // by inode; guarded by LIVES
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

    /** A wildcard listener that one of {@code lives} opened; which one, no one can tell. */
    record Suspect(Listener listener, List<Life> lives) {

        /** Returns {@code tcp [::]:23457 (…), opened by one of OrderTest.a(), OrderTest.b()}. */
        String describe() {
            return WildcardLeaks.describe(listener) + ", opened by one of "
                    + String.join(", ", lives.stream().map(l -> l.name).distinct().toList());
        }
    }

    /**
     * Starts a scope's life; with {@code check}, notes the wildcard listeners there now (none where
     * there are no socket tables). A scope that is not checked still counts as another scope for
     * those that are.
     */
    static Life begin(String uniqueId, String displayName, boolean check) {
        Set<Long> before = new HashSet<>();
        if (check && SocketInspector.canListListeners()) {
            for (Listener listener : wildcardTcp(SocketInspector.listeners())) {
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

    /** Returns true if no scope but its own class's and tests' lived at any moment of {@code life} so far. */
    static boolean alone(Life life) {
        return rivals(life).isEmpty();
    }

    /**
     * Returns the wildcard TCP listeners among {@code listeners} (the socket tables now) that this
     * JVM opened during {@code life}, neither reported nor suspected yet.
     */
    static List<Listener> opened(Life life, List<Listener> listeners) {
        List<Listener> opened = wildcardTcp(listeners).stream()
                .filter(l -> !life.before.contains(l.inode()) && !REPORTED.contains(l.inode()))
                .filter(l -> ProcessSockets.ownedByThisProcess(l.inode()))
                .toList();
        synchronized (LIVES) {
            return opened.stream().filter(l -> !SUSPECTS.containsKey(l.inode())).toList();
        }
    }

    /**
     * Makes the listeners this JVM opened during {@code life} suspects of {@code life} and of every
     * other scope that lived meanwhile (call it only when {@link #alone} is false).
     */
    static void suspect(Life life, List<Listener> listeners) {
        List<Listener> opened = opened(life, listeners);
        synchronized (LIVES) {
            List<Life> lives = new ArrayList<>();
            lives.add(life);
            lives.addAll(rivals(life));
            opened.forEach(l -> SUSPECTS.putIfAbsent(l.inode(), new Suspect(l, List.copyOf(lives))));
        }
    }

    /**
     * Returns the suspects that {@code life}, now ending, was the last of their scopes to leave and
     * that are still open among {@code listeners}: each is returned once in the JVM. Suspects closed
     * meanwhile are forgotten.
     */
    static List<Suspect> settle(Life life, List<Listener> listeners) {
        Set<Long> open = new HashSet<>();
        wildcardTcp(listeners).forEach(l -> open.add(l.inode()));
        List<Suspect> settled = new ArrayList<>();
        synchronized (LIVES) {
            for (var it = SUSPECTS.values().iterator(); it.hasNext(); ) {
                Suspect suspect = it.next();
                if (suspect.lives.contains(life)
                        && suspect.lives.stream().allMatch(l -> l == life || l.end != Long.MAX_VALUE)) {
                    it.remove();
                    if (open.contains(suspect.listener.inode()) && REPORTED.add(suspect.listener.inode())) {
                        settled.add(suspect);
                    }
                }
            }
        }
        return settled;
    }

    /**
     * Marks {@code listeners} as reported, so that no other scope reports them again.
     */
    static void claim(List<Listener> listeners) {
        listeners.forEach(l -> REPORTED.add(l.inode()));
    }

    private static List<Life> rivals(Life life) {
        synchronized (LIVES) {
            return LIVES.stream().filter(l -> !life.related(l) && l.end > life.start).toList();
        }
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

    private static List<Listener> wildcardTcp(List<Listener> listeners) {
        return listeners.stream()
                .filter(l -> l.protocol() == Listener.Protocol.TCP && l.isWildcard() && l.inode() != 0)
                .toList();
    }
}
