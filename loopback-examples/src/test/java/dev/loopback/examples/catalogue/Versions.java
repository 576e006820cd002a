package dev.loopback.examples.catalogue;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The version of a library, read from where its jar lies in the Maven repository. */
final class Versions {

    private Versions() {}

    /**
     * Returns {@code artifact version} for the jar that holds {@code type}, from its Maven
     * repository path ({@code …/<artifact>/<version>/<artifact>-<version>.jar}); the jar's
     * manifest where the path says nothing.
     */
    static String of(Class<?> type) {
        try {
            Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path versionDir = jar.getParent();
            Path artifactDir = versionDir == null ? null : versionDir.getParent();
            if (artifactDir != null && jar.getFileName().toString()
                    .startsWith(artifactDir.getFileName() + "-" + versionDir.getFileName())) {
                return artifactDir.getFileName() + " " + versionDir.getFileName();
            }
        } catch (URISyntaxException | NullPointerException | SecurityException notAJar) {
            // fall through to the manifest
        }
        Package p = type.getPackage();
        return type.getSimpleName() + " " + (p.getImplementationVersion() == null ? "?" : p.getImplementationVersion());
    }
}
