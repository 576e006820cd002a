package dev.loopback.internal.names;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Whether host names resolve in this JVM — the Java 17 variant, in the root of the multi-release
 * jar. It is used where the JDK 18 variant ({@code META-INF/versions/18}) is not: on JDK 17, and
 * on JDK 18+ when loopback-core was built without the JDK 18 classes or is read from a directory
 * (a directory on the class path is never read as multi-release). In each case it explains which.
 */
public final class Resolution {

    /** The first JDK with {@code java.net.spi.InetAddressResolverProvider}. */
    public static final int REQUIRED_FEATURE = 18;

    private Resolution() {}

    /** Returns why host names do not resolve in this JVM; never null in this variant. */
    public static String unavailableReason() {
        if (Runtime.version().feature() < REQUIRED_FEATURE) {
            return "host names need JDK " + REQUIRED_FEATURE + " or newer: they resolve through"
                    + " java.net.spi.InetAddressResolverProvider, added in JDK " + REQUIRED_FEATURE
                    + "; this JVM is Java " + Runtime.version() + ". Run the tests on JDK " + REQUIRED_FEATURE
                    + "+, or use the literal addresses (Endpoint.uri, Endpoint.hostPort)";
        }
        return "this copy of loopback-core has no JDK " + REQUIRED_FEATURE + " classes, so host names are"
                + " unavailable even on Java " + Runtime.version() + ": " + where();
    }

    private static String where() {
        CodeSource source = Resolution.class.getProtectionDomain().getCodeSource();
        Path location = null;
        try {
            location = source == null || source.getLocation() == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException ignored) {
            // not a file: say what we can
        }
        if (location != null && Files.isDirectory(location)) {
            return "its classes are loaded from the directory " + location + ", which the JVM does not read as a"
                    + " multi-release jar (META-INF/versions/" + REQUIRED_FEATURE + " is ignored there). Run against the"
                    + " packaged jar: in a Maven build, tests of modules that depend on loopback-core see the jar from"
                    + " the 'package' phase on (mvn verify, not mvn test)";
        }
        return "the jar " + (location != null ? location : "it came from") + " either was built on JDK 17 (its"
                + " META-INF/versions/" + REQUIRED_FEATURE + " is empty: build loopback-core on JDK 18+) or lost its"
                + " 'Multi-Release: true' manifest entry when it was repackaged (keep that entry in shaded jars)";
    }
}
