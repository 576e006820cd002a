package dev.loopback.junit;

/**
 * What the {@link LoopbackExtension} does when something still listens on a space's hosts after
 * the test (or, for the class space, after the class) — after it closed its own links and
 * listeners and waited the grace period for servers that close asynchronously.
 */
public enum LeakMode {
    /**
     * The test (or class) fails with an error naming each leaked socket: {@code tcp 127.64.3.9:8080},
     * or a wildcard listener this JVM opened while no other Loopback test ran ({@code tcp [::]:8080
     * (every IPv6 and IPv4 address, 0.0.0.0:8080 included)}). The default.
     */
    FAIL,
    /** The test passes; each leaked socket is reported as a report entry and a log warning. */
    WARN,
    /** No check. */
    OFF
}
