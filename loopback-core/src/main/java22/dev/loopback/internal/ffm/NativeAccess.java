package dev.loopback.internal.ffm;

/**
 * Whether loopback-core may call the kernel through the Foreign Function &amp; Memory API — the JDK
 * 22 variant ({@code META-INF/versions/22}): only if the JVM enables native access for this module
 * ({@code --enable-native-access=dev.loopback.core} on the module path,
 * {@code --enable-native-access=ALL-UNNAMED} on the class path) and the platform is Linux. Otherwise
 * nothing restricted is ever called, so the JDK prints no warning, and the Java 17 paths are used.
 */
public final class NativeAccess {

    /** The first JDK whose FFM API is final, and the release the fast paths are compiled for. */
    public static final int REQUIRED_FEATURE = 22;

    private static final Module MODULE = NativeAccess.class.getModule();
    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");
    private static final boolean ENABLED = LINUX && MODULE.isNativeAccessEnabled();

    private NativeAccess() {}

    /** Returns whether the FFM fast paths may be used. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** Says why the FFM fast paths are or are not in use, for a failing test's report. */
    public static String status() {
        int feature = Runtime.version().feature();
        String module = MODULE.isNamed() ? MODULE.getName() : "ALL-UNNAMED";
        if (ENABLED) {
            return "JDK " + feature + ", native access enabled for " + module;
        }
        if (!LINUX) {
            return "JDK " + feature + " on " + System.getProperty("os.name") + "; the FFM fast paths are Linux's";
        }
        return "JDK " + feature + " without native access; --enable-native-access=" + module
                + " (in Surefire's argLine) turns on the FFM fast paths";
    }
}
