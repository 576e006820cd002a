/**
 * Loopback for JUnit Jupiter: the extension, {@code @LoopbackAddress}, AssertJ assertions and
 * Awaitility waits.
 */
// awaitility 4.3.0 has no module descriptor and no Automatic-Module-Name, so its module name is
// derived from the jar's file name ("awaitility"). It is only used internally (waits and the leak
// check's grace period) and never appears in this module's API, hence no "requires transitive".
@SuppressWarnings("requires-automatic")
module dev.loopback.junit {
    requires transitive dev.loopback.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires awaitility;

    exports dev.loopback.junit;
    exports dev.loopback.junit.assertj;
}
