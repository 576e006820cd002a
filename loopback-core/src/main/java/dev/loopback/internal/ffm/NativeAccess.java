package dev.loopback.internal.ffm;

/**
 * Whether loopback-core may call the kernel through the Foreign Function &amp; Memory API — the Java
 * 17 variant, in the root of the multi-release jar: never. It is used where the JDK 22 variant
 * ({@code META-INF/versions/22}) is not: on JDK 17 to 21, and on JDK 22+ when loopback-core was
 * built without the JDK 22 classes or is read from a directory (a directory on the class path is
 * never read as multi-release). {@link #status()} says which.
 */
public final class NativeAccess {

    /** The first JDK whose FFM API is final, and the release the fast paths are compiled for. */
    public static final int REQUIRED_FEATURE = 22;

    private NativeAccess() {}

    /** Returns whether the FFM fast paths may be used; never in this variant. */
    public static boolean enabled() {
        return false;
    }

    /** Says why the FFM fast paths are or are not in use, for a failing test's report. */
    public static String status() {
        int feature = Runtime.version().feature();
        if (feature < REQUIRED_FEATURE) {
            return "JDK " + feature + "; the FFM fast paths need JDK " + REQUIRED_FEATURE + "+";
        }
        return "JDK " + feature + ", but loopback-core was loaded without its META-INF/versions/" + REQUIRED_FEATURE
                + " classes (a jar built on JDK " + (REQUIRED_FEATURE - 1)
                + " or older, or a directory on the class path), so the FFM fast paths are absent";
    }
}
