package dev.loopback.junit.internal;

import dev.loopback.junit.LoopbackSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds {@code loopback.*} configuration parameters that are not settings of the extension — a
 * typo such as {@code loopback.leak=off} would otherwise be ignored silently — and names the
 * closest known key. JUnit does not let an extension list every configuration parameter, so the
 * keys looked at are the system properties and those of the {@code junit-platform.properties} file
 * JUnit reads (the first on the class path); a misspelt key given only as a launcher parameter
 * (Surefire's {@code <configurationParameters>}) is not seen.
 */
public final class UnknownSettings {

    /** The keys the extension reads. */
    static final Set<String> KNOWN = Set.of(LoopbackSettings.POOL, LoopbackSettings.PLATFORM, LoopbackSettings.LEAKS,
            LoopbackSettings.LEAKS_GRACE, LoopbackSettings.SEED, LoopbackSettings.LINK_BUFFER);

    private static final String PREFIX = "loopback.";

    private UnknownSettings() {}

    /** Returns one message per unknown {@code loopback.} key among the system properties and {@code junit-platform.properties}. */
    public static List<String> find() {
        Set<String> keys = new TreeSet<>(System.getProperties().stringPropertyNames());
        keys.addAll(propertiesFile().stringPropertyNames());
        return messages(keys);
    }

    /** Returns one message per key of {@code keys} that starts with {@code loopback.} and is not a known setting. */
    static List<String> messages(Iterable<String> keys) {
        List<String> messages = new ArrayList<>();
        for (String key : keys) {
            if (key.startsWith(PREFIX) && !KNOWN.contains(key)) {
                messages.add("Loopback: unknown configuration parameter " + key + " is ignored; did you mean "
                        + closest(key) + "? Known: " + new TreeSet<>(KNOWN));
            }
        }
        return messages;
    }

    /** The known key with the smallest edit distance to {@code key}. */
    static String closest(String key) {
        return KNOWN.stream().min(Comparator.comparingInt((String k) -> distance(key, k)).thenComparing(k -> k))
                .orElseThrow();
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Properties propertiesFile() {
        Properties properties = new Properties();
        URL url = Thread.currentThread().getContextClassLoader() == null ? null
                : Thread.currentThread().getContextClassLoader().getResource("junit-platform.properties");
        if (url != null) {
            try (InputStream in = url.openStream()) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + url, e);
            }
        }
        return properties;
    }
}
