/**
 * Loopback for JUnit Jupiter: the extension, {@code @LoopbackAddress},
 * AssertJ assertions and Awaitility waits.
 */
// awaitility 4.3.0 is an automatic module (name derived from the jar file name).
@SuppressWarnings("requires-automatic")
module dev.loopback.junit {
    requires transitive dev.loopback.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires awaitility;

    exports dev.loopback.junit;
}
