package dev.loopback.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser of the CLI's values — durations, sizes, rates, percentages and addresses — used
 * for command-line options and for the {@code inject} command alike. It checks only the syntax and
 * the unit; the range of a value (a probability above 1, a negative duration, one longer than
 * {@code Fault.MAX_DURATION}) is the fault factories' to refuse, with their own message.
 */
final class Units {

    private static final Pattern NUMBER_UNIT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Z/%]*)");

    private Units() {}

    /** {@code 50ms}, {@code 5s}, {@code 1500us}, {@code 250ns}, {@code 2m}, {@code 1h}; a unit is required. */
    static Duration duration(String text) {
        Matcher m = match(text, "duration", "50ms, 1.5s, 250us, 2m");
        double value = Double.parseDouble(m.group(1));
        long nanosPerUnit = switch (m.group(2)) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw bad(text, "duration", "a unit of ns, us, ms, s, m, h or d, as in 50ms");
        };
        double nanos = value * nanosPerUnit;
        if (nanos > Long.MAX_VALUE) {
            throw bad(text, "duration", "at most 365d");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** {@code 10KiB}, {@code 1MiB}, {@code 1.5KB}, {@code 100B} or a plain byte count. */
    static long size(String text) {
        Matcher m = match(text, "size", "100B, 10KiB, 1MiB, 1KB");
        long bytesPerUnit = sizeUnit(m.group(2));
        if (bytesPerUnit == 0) {
            throw bad(text, "size", "a unit of B, KB, MB, GB, KiB, MiB or GiB, or none for bytes, as in 10KiB");
        }
        return whole(text, "size", Double.parseDouble(m.group(1)) * bytesPerUnit);
    }

    /** Bytes per second: {@code 1MiB/s}, {@code 64KB/s}, {@code 500B/s}; bits per second: {@code 8Mbit/s}. */
    static long rate(String text) {
        Matcher m = match(text, "rate", "1MiB/s, 64KB/s, 8Mbit/s");
        String unit = m.group(2);
        double value = Double.parseDouble(m.group(1));
        if (unit.endsWith("/s")) {
            String per = unit.substring(0, unit.length() - 2);
            long bytes = sizeUnit(per);
            if (bytes != 0) {
                return whole(text, "rate", value * bytes);
            }
            long bits = switch (per) {
                case "bit" -> 1L;
                case "kbit" -> 1_000L;
                case "Mbit" -> 1_000_000L;
                case "Gbit" -> 1_000_000_000L;
                default -> 0L;
            };
            if (bits != 0) {
                return whole(text, "rate", value * bits / 8);
            }
        }
        throw bad(text, "rate", "a size per second (B/s, KB/s, MB/s, KiB/s, MiB/s, GiB/s) or bits per second"
                + " (bit/s, kbit/s, Mbit/s, Gbit/s), as in 1MiB/s");
    }

    /** {@code 1%}, {@code 0.5%} or a fraction such as {@code 0.01}: the probability in {@code [0, 1]} scale. */
    static double probability(String text) {
        Matcher m = match(text, "probability", "1%, 0.5%, 0.01");
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "%" -> value / 100;
            case "" -> value;
            default -> throw bad(text, "probability", "a percentage such as 1% or a fraction such as 0.01");
        };
    }

    private static long sizeUnit(String unit) {
        return switch (unit) {
            case "", "B" -> 1L;
            case "KB", "kB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> 0L;
        };
    }

    private static long whole(String text, String what, double value) {
        if (value != Math.rint(value) || value > Long.MAX_VALUE) {
            throw bad(text, what, "a whole number of bytes");
        }
        return (long) value;
    }

    private static Matcher match(String text, String what, String examples) {
        Matcher m = NUMBER_UNIT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw bad(text, what, "a non-negative number and a unit, as in " + examples);
        }
        return m;
    }

    static IllegalArgumentException bad(String text, String what, String allowed) {
        return new IllegalArgumentException(String.format(Locale.ROOT, "bad %s '%s': expected %s", what, text, allowed));
    }
}
