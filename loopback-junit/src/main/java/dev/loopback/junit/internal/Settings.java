package dev.loopback.junit.internal;

import dev.loopback.LoopbackSpace;
import dev.loopback.PlatformPolicy;
import dev.loopback.junit.LeakMode;
import dev.loopback.internal.access.SpaceAccess;
import dev.loopback.junit.LoopbackSettings;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * One layer of settings — the builder's options or the configuration parameters; {@code null}
 * means "not set here". {@link #orElse} stacks layers; the getters apply the defaults.
 */
public record Settings(
        String pool, PlatformPolicy policy, LeakMode leaks, Duration grace, Long seed, Integer linkBuffer,
        Boolean aliases) {

    /** No setting. */
    public static final Settings NONE = new Settings(null, null, null, null, null, null, null);

    static final Duration MAX_GRACE = Duration.ofMinutes(5);
    private static final Pattern AMOUNT = Pattern.compile("(\\d+)\\s*(ms|s|m)");
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*([kKmM]?)");

    /** Reads the {@code loopback.*} configuration parameters; fails naming a bad key and value. */
    public static Settings fromConfiguration(Function<String, Optional<String>> parameters) {
        return new Settings(
                parameters.apply(LoopbackSettings.POOL).map(v -> pool(LoopbackSettings.POOL, v)).orElse(null),
                parameters.apply(LoopbackSettings.PLATFORM).map(v -> policy(LoopbackSettings.PLATFORM, v)).orElse(null),
                parameters.apply(LoopbackSettings.LEAKS).map(v -> leaks(LoopbackSettings.LEAKS, v)).orElse(null),
                parameters.apply(LoopbackSettings.LEAKS_GRACE).map(v -> grace(LoopbackSettings.LEAKS_GRACE, v)).orElse(null),
                parameters.apply(LoopbackSettings.SEED).map(v -> seed(LoopbackSettings.SEED, v)).orElse(null),
                parameters.apply(LoopbackSettings.LINK_BUFFER).map(v -> linkBuffer(LoopbackSettings.LINK_BUFFER, v))
                        .orElse(null),
                null);
    }

    /** Returns these settings, each unset one taken from {@code fallback}. */
    public Settings orElse(Settings fallback) {
        return new Settings(
                pool != null ? pool : fallback.pool,
                policy != null ? policy : fallback.policy,
                leaks != null ? leaks : fallback.leaks,
                grace != null ? grace : fallback.grace,
                seed != null ? seed : fallback.seed,
                linkBuffer != null ? linkBuffer : fallback.linkBuffer,
                aliases != null ? aliases : fallback.aliases);
    }

    /** Returns the pool, or the default. */
    public String effectivePool() {
        return pool != null ? pool : LoopbackSettings.DEFAULT_POOL;
    }

    /** Returns the platform policy, or the default. */
    public PlatformPolicy effectivePolicy() {
        return policy != null ? policy : policy(LoopbackSettings.PLATFORM, LoopbackSettings.DEFAULT_PLATFORM);
    }

    /** Returns the leak mode, or the default. */
    public LeakMode effectiveLeaks() {
        return leaks != null ? leaks : leaks(LoopbackSettings.LEAKS, LoopbackSettings.DEFAULT_LEAKS);
    }

    /** Returns the leak grace, or the default. */
    public Duration effectiveGrace() {
        return grace != null ? grace : grace(LoopbackSettings.LEAKS_GRACE, LoopbackSettings.DEFAULT_LEAKS_GRACE);
    }

    /** Returns the link buffer, or the default. */
    public int effectiveLinkBuffer() {
        return linkBuffer != null
                ? linkBuffer
                : linkBuffer(LoopbackSettings.LINK_BUFFER, LoopbackSettings.DEFAULT_LINK_BUFFER);
    }

    /** Returns a builder for a space with these settings and {@code seed}. */
    public LoopbackSpace.Builder spaceBuilder(long seed) {
        LoopbackSpace.Builder builder = LoopbackSpace.builder()
                .seed(seed)
                .pool(effectivePool())
                .platformPolicy(effectivePolicy())
                .linkBufferBytes(effectiveLinkBuffer());
        if (aliases != null) {
            SpaceAccess.get().assumeLoopbackAliases(builder, aliases);
        }
        return builder;
    }

    // ---------------------------------------------------------------- parsing

    static String pool(String key, String value) {
        try {
            LoopbackSpace.builder().pool(value.trim());
            return value.trim();
        } catch (IllegalArgumentException e) {
            throw bad(key, value, "a CIDR block inside 127.0.0.0/8 such as " + LoopbackSettings.DEFAULT_POOL
                    + " (" + e.getMessage() + ")");
        }
    }

    static PlatformPolicy policy(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "fallback" -> PlatformPolicy.FALLBACK;
            case "skip" -> PlatformPolicy.SKIP;
            case "fail" -> PlatformPolicy.FAIL;
            default -> throw bad(key, value, "fallback, skip, fail");
        };
    }

    static LeakMode leaks(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "fail" -> LeakMode.FAIL;
            case "warn" -> LeakMode.WARN;
            case "off" -> LeakMode.OFF;
            default -> throw bad(key, value, "fail, warn, off");
        };
    }

    /** Parses a grace period: {@code 500 ms}, {@code 2 s}, {@code 1 m} or ISO-8601 {@code PT0.5S}. */
    public static Duration grace(String key, String value) {
        String allowed = "a duration from 0 to 5 m such as 500 ms, 2 s, 1 m or PT0.5S";
        String text = value.trim();
        Duration duration;
        Matcher m = AMOUNT.matcher(text);
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                duration = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    default -> Duration.ofMinutes(amount);
                };
            } else {
                duration = Duration.parse(text);
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw bad(key, value, allowed);
        }
        if (duration.isNegative() || duration.compareTo(MAX_GRACE) > 0) {
            throw bad(key, value, allowed);
        }
        return duration;
    }

    static long seed(String key, String value) {
        try {
            return Long.decode(value.trim());
        } catch (NumberFormatException e) {
            throw bad(key, value, "a 64-bit integer such as 42, -7 or 0x2a");
        }
    }

    static int linkBuffer(String key, String value) {
        String allowed = "bytes from 1024 to 67108864, or with a k / m suffix (KiB / MiB) such as 65536, 64k, 1m";
        Matcher m = BYTES.matcher(value.trim());
        if (!m.matches()) {
            throw bad(key, value, allowed);
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(m.group(1)),
                    unit.equals("k") ? 1024L : unit.equals("m") ? 1024L * 1024 : 1L);
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(key, value, allowed);
        }
        if (bytes < 1024 || bytes > 64L * 1024 * 1024) {
            throw bad(key, value, allowed);
        }
        return (int) bytes;
    }

    private static ExtensionConfigurationException bad(String key, String value, String allowed) {
        return new ExtensionConfigurationException(
                "Loopback setting " + key + " = '" + value + "' is not valid; allowed: " + allowed);
    }
}
