package dev.loopback.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code loopback --version}: the project version the build wrote into {@code version.properties}
 * (a filtered resource), so a release says its own version and a snapshot says it is one.
 */
final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"loopback " + of()};
    }

    /** Returns the version this build was made as, e.g. {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}. */
    static String of() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/loopback/cli/version.properties is missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
