package dev.loopback.benchmarks.names;

import dev.loopback.LoopbackSpace;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Loopback's resolver adds to ordinary lookups — names no space registered — on JDK 18+.
 * In one JVM, the same lookups go to the JDK's built-in resolver directly and to Loopback's
 * resolver in front of it (the instance the JDK installed, read from {@code InetAddress}; hence
 * {@code --add-opens java.base/java.net}), with no name registered or with a live space holding
 * {@link #names} names. {@code cachedLookup} is the usual path, {@code InetAddress.getAllByName}
 * of a name the JDK has cached: no resolver is asked at all.
 *
 * <p>This module compiles for Java 17, where {@code java.net.spi.InetAddressResolver} does not
 * exist, so both resolvers are called through the same method handles: the handles cost both sides
 * the same.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--add-opens=java.base/java.net=ALL-UNNAMED")
@State(Scope.Benchmark)
public class ResolverOverhead {

    private static final byte[] LOCALHOST = {127, 0, 0, 1};

    /** How many names a live space holds while the lookups run. */
    @Param({"0", "64"})
    public int names;

    private Object loopback;
    private Object builtin;
    private Object policy;
    private MethodHandle lookupByName;    // (resolver, host, policy) -> Stream
    private MethodHandle lookupByAddress; // (resolver, bytes) -> String
    private LoopbackSpace space;

    /**
     * Finds the JVM's resolver (Loopback's) and the built-in one behind it; registers the names.
     *
     * @throws ReflectiveOperationException if the JDK's or Loopback's internals differ from what this expects
     * @throws UnknownHostException if localhost does not resolve
     */
    @Setup(Level.Trial)
    public void findResolvers() throws ReflectiveOperationException, UnknownHostException {
        InetAddress.getAllByName("localhost"); // makes sure the JDK has picked its resolver
        Field field = InetAddress.class.getDeclaredField("resolver");
        field.setAccessible(true);
        loopback = field.get(null);
        if (!loopback.getClass().getName().equals("dev.loopback.internal.names.NameResolver")) {
            throw new IllegalStateException("the JVM's resolver is " + loopback.getClass().getName()
                    + ", not Loopback's: run on JDK 18+ with loopback-core's jar (multi-release) on the class path");
        }
        Method accessor = loopback.getClass().getDeclaredMethod("builtin");
        accessor.setAccessible(true);
        builtin = accessor.invoke(loopback);
        Class<?> resolverType = Class.forName("java.net.spi.InetAddressResolver");
        Class<?> policyType = Class.forName("java.net.spi.InetAddressResolver$LookupPolicy");
        policy = policyType.getMethod("of", int.class).invoke(null, 1 | 2); // IPV4 | IPV6
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        lookupByName = lookup.findVirtual(resolverType, "lookupByName", MethodType.methodType(Stream.class,
                String.class, policyType)).asType(MethodType.methodType(Stream.class, Object.class, String.class,
                Object.class));
        lookupByAddress = lookup.findVirtual(resolverType, "lookupByAddress", MethodType.methodType(String.class,
                byte[].class)).asType(MethodType.methodType(String.class, Object.class, byte[].class));
        space = LoopbackSpace.open();
        for (int i = 0; i < names; i++) {
            space.hostName("host" + i);
        }
    }

    /** Closes the space and its names. */
    @TearDown(Level.Trial)
    public void closeSpace() {
        space.close();
    }

    /**
     * The JDK's built-in resolver, asked for {@code localhost}.
     *
     * @return the addresses, so the work is not eliminated
     * @throws Throwable if localhost does not resolve
     */
    @Benchmark
    public Object[] builtinLookup() throws Throwable {
        return ((Stream<?>) lookupByName.invokeExact(builtin, "localhost", policy)).toArray();
    }

    /**
     * Loopback's resolver, asked for {@code localhost}: a miss in its table, then the built-in resolver.
     *
     * @return the addresses, so the work is not eliminated
     * @throws Throwable if localhost does not resolve
     */
    @Benchmark
    public Object[] loopbackLookup() throws Throwable {
        return ((Stream<?>) lookupByName.invokeExact(loopback, "localhost", policy)).toArray();
    }

    /**
     * The JDK's built-in resolver, asked for the name of {@code 127.0.0.1}.
     *
     * @return the name, so the work is not eliminated
     * @throws Throwable if the address has no name
     */
    @Benchmark
    public String builtinReverseLookup() throws Throwable {
        return (String) lookupByAddress.invokeExact(builtin, LOCALHOST);
    }

    /**
     * Loopback's resolver, asked for the name of {@code 127.0.0.1}: a miss, then the built-in resolver.
     *
     * @return the name, so the work is not eliminated
     * @throws Throwable if the address has no name
     */
    @Benchmark
    public String loopbackReverseLookup() throws Throwable {
        return (String) lookupByAddress.invokeExact(loopback, LOCALHOST);
    }

    /**
     * {@code InetAddress.getAllByName("localhost")} with the JDK's cache on, as applications run:
     * after the first call no resolver is asked.
     *
     * @return the addresses, so the work is not eliminated
     * @throws UnknownHostException if localhost does not resolve
     */
    @Benchmark
    public InetAddress[] cachedLookup() throws UnknownHostException {
        return InetAddress.getAllByName("localhost");
    }
}
