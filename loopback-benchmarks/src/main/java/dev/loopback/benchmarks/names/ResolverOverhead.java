package dev.loopback.benchmarks.names;

import dev.loopback.LoopbackSpace;
import dev.loopback.internal.names.NameTable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What Loopback's resolver adds to ordinary lookups — names no space registered — on JDK 18+.
 *
 * <p>In one JVM, the same lookups go to the JDK's built-in resolver directly and to Loopback's
 * resolver in front of it (the instance the JDK installed, read from {@code InetAddress}: run with
 * {@code --add-opens java.base/java.net=ALL-UNNAMED}). The two alternate in rounds, in alternating
 * order, so load that drifts during the run (this machine is shared) hits both alike; the figure
 * is the median over rounds, and the ratio the median of the rounds' ratios. Then the same with a
 * live space holding 64 names, and Loopback's own work on such a miss alone (its table lookup and
 * domain check). {@code cached} is the usual path — {@code InetAddress.getAllByName}
 * of a name the JDK has cached — where no resolver is asked at all.
 *
 * <p>This module compiles for Java 17, which has no {@code java.net.spi.InetAddressResolver}, so
 * both resolvers are called through the same method handles, which cost both sides the same.
 *
 * <pre>java --add-opens java.base/java.net=ALL-UNNAMED -cp benchmarks.jar dev.loopback.benchmarks.names.ResolverOverhead [rounds]</pre>
 */
public final class ResolverOverhead {

    private static final byte[] LOCALHOST = {127, 0, 0, 1};
    private static final int CALLS = 20_000;

    private final Object loopback;
    private final Object builtin;
    private final Object policy;
    private final MethodHandle lookupByName;    // (resolver, host, policy) -> Stream
    private final MethodHandle lookupByAddress; // (resolver, bytes) -> String
    private long sink;

    private ResolverOverhead() throws ReflectiveOperationException {
        Field field = InetAddress.class.getDeclaredField("resolver");
        field.setAccessible(true);
        loopback = field.get(null);
        if (loopback == null || !loopback.getClass().getName().equals("dev.loopback.internal.names.NameResolver")) {
            throw new IllegalStateException("the JVM's resolver is " + loopback + ", not Loopback's: run on JDK 18+"
                    + " with loopback-core's jar (multi-release) on the class path");
        }
        Method accessor = loopback.getClass().getDeclaredMethod("builtin");
        accessor.setAccessible(true);
        builtin = accessor.invoke(loopback);
        Class<?> resolverType = Class.forName("java.net.spi.InetAddressResolver");
        Class<?> policyType = Class.forName("java.net.spi.InetAddressResolver$LookupPolicy");
        policy = policyType.getMethod("of", int.class).invoke(null, 1 | 2); // IPV4 | IPV6
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        lookupByName = lookup.findVirtual(resolverType, "lookupByName",
                        MethodType.methodType(Stream.class, String.class, policyType))
                .asType(MethodType.methodType(Stream.class, Object.class, String.class, Object.class));
        lookupByAddress = lookup.findVirtual(resolverType, "lookupByAddress",
                        MethodType.methodType(String.class, byte[].class))
                .asType(MethodType.methodType(String.class, Object.class, byte[].class));
    }

    /**
     * Runs the comparison and prints a table.
     *
     * @param args the number of rounds (default 21)
     * @throws Throwable if a lookup fails
     */
    public static void main(String[] args) throws Throwable {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        InetAddress.getAllByName("localhost"); // the JDK picks its resolver at the first lookup
        ResolverOverhead bench = new ResolverOverhead();
        System.out.printf(Locale.ROOT, "Java %s, %d rounds of %,d calls per resolver%n",
                System.getProperty("java.version"), rounds, CALLS);
        System.out.printf(Locale.ROOT, "%-34s %12s %12s %8s%n", "lookup (names registered)", "built-in ns",
                "loopback ns", "ratio");
        bench.compare("localhost -> address (0)", false, rounds);
        bench.compare("127.0.0.1 -> name (0)", true, rounds);
        try (LoopbackSpace space = LoopbackSpace.open()) {
            for (int i = 0; i < 64; i++) {
                space.hostName("host" + i);
            }
            bench.compare("localhost -> address (64)", false, rounds);
            bench.compare("127.0.0.1 -> name (64)", true, rounds);
            bench.ownWork(rounds);
        }
        bench.cached(rounds);
        if (bench.sink == 42) {
            System.out.println();
        }
    }

    private void compare(String label, boolean reverse, int rounds) throws Throwable {
        run(builtin, reverse, CALLS * 5); // warm both paths up
        run(loopback, reverse, CALLS * 5);
        double[] builtinNs = new double[rounds];
        double[] loopbackNs = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                builtinNs[r] = run(builtin, reverse, CALLS);
                loopbackNs[r] = run(loopback, reverse, CALLS);
            } else {
                loopbackNs[r] = run(loopback, reverse, CALLS);
                builtinNs[r] = run(builtin, reverse, CALLS);
            }
            ratios[r] = loopbackNs[r] / builtinNs[r];
        }
        System.out.printf(Locale.ROOT, "%-34s %12.0f %12.0f %8.3f%n", label, median(builtinNs), median(loopbackNs),
                median(ratios));
    }

    /** Loopback's own work on a miss, alone: the table lookup and the domain check, 64 names registered. */
    private void ownWork(int rounds) {
        int calls = CALLS * 50;
        double[] ns = new double[rounds];
        for (int r = -5; r < rounds; r++) { // five rounds of warm-up
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sink += NameTable.address("localhost") == null && !NameTable.isSpaceDomain("localhost") ? 1 : 0;
            }
            if (r >= 0) {
                ns[r] = (System.nanoTime() - start) / (double) calls;
            }
        }
        System.out.printf(Locale.ROOT, "%-34s %12s %12.1f %8s%n", "miss in Loopback's table (64)", "-", median(ns),
                "-");
    }

    private void cached(int rounds) throws Throwable {
        double[] ns = new double[rounds];
        for (int i = 0; i < CALLS * 5; i++) { // warm-up
            sink += InetAddress.getAllByName("localhost").length;
        }
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                sink += InetAddress.getAllByName("localhost").length;
            }
            ns[r] = (System.nanoTime() - start) / (double) CALLS;
        }
        System.out.printf(Locale.ROOT, "%-34s %12s %12.0f %8s%n", "cached getAllByName(localhost)", "-", median(ns),
                "-");
    }

    /** Returns the mean ns per call of {@code calls} lookups through {@code resolver}. */
    private double run(Object resolver, boolean reverse, int calls) throws Throwable {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            if (reverse) {
                sink += ((String) lookupByAddress.invokeExact(resolver, LOCALHOST)).length();
            } else {
                sink += ((Stream<?>) lookupByName.invokeExact(resolver, "localhost", policy)).count();
            }
        }
        return (System.nanoTime() - start) / (double) calls;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
