package dev.loopback.junit;

import dev.loopback.LoopbackSpace;

/**
 * The JUnit configuration parameters of the {@link LoopbackExtension}: set them in
 * {@code src/test/resources/junit-platform.properties}, as Surefire
 * {@code <configurationParameters>} or with {@code -D} system properties. Annotations
 * ({@link LoopbackSeed}, {@link LoopbackLeaks}) beat options given to
 * {@link LoopbackExtension#builder()}, which beat these parameters, which beat the defaults. A bad
 * value fails the tests with a message naming the key, the value and the values allowed.
 */
public final class LoopbackSettings {

    /** The block hosts are leased from, inside {@code 127.0.0.0/8}. Default {@value #DEFAULT_POOL}. */
    public static final String POOL = "loopback.pool";

    /** The default of {@link #POOL}. */
    public static final String DEFAULT_POOL = LoopbackSpace.DEFAULT_POOL;

    /**
     * What to do where loopback addresses beyond {@code 127.0.0.1} cannot be bound (macOS without
     * aliases): {@code fallback} (default; {@code 127.0.0.1} with kernel-assigned ports only),
     * {@code skip} (tests are skipped) or {@code fail} (tests fail naming the alias command).
     */
    public static final String PLATFORM = "loopback.platform";

    /** The default of {@link #PLATFORM}. */
    public static final String DEFAULT_PLATFORM = "fallback";

    /** The leak check after each test and class: {@code fail} (default), {@code warn} or {@code off}. See {@link LeakMode}. */
    public static final String LEAKS = "loopback.leaks";

    /** The default of {@link #LEAKS}. */
    public static final String DEFAULT_LEAKS = "fail";

    /**
     * How long the leak check waits for servers that close asynchronously: a number with a unit
     * ({@code 500 ms}, {@code 2 s}, {@code 1 m}) or an ISO-8601 duration ({@code PT0.5S}), from 0 to
     * 5 minutes. Default {@value #DEFAULT_LEAKS_GRACE}. A clean test never waits.
     */
    public static final String LEAKS_GRACE = "loopback.leaks.grace";

    /** The default of {@link #LEAKS_GRACE}. */
    public static final String DEFAULT_LEAKS_GRACE = "2 s";

    /**
     * The run seed: a 64-bit integer ({@code 42}, {@code -7}, {@code 0x2a}). Default: random per
     * run. See {@link LoopbackSeed} for how each test's space seed derives from it.
     */
    public static final String SEED = "loopback.seed";

    /**
     * The bound of bytes a link buffers per direction of a connection: bytes, or KiB / MiB with a
     * {@code k} / {@code m} suffix ({@code 65536}, {@code 64k}, {@code 1m}), from 1 KiB to 64 MiB.
     * Default {@value #DEFAULT_LINK_BUFFER} (256 KiB).
     */
    public static final String LINK_BUFFER = "loopback.link.buffer";

    /** The default of {@link #LINK_BUFFER}. */
    public static final String DEFAULT_LINK_BUFFER = "256k";

    private LoopbackSettings() {}
}
