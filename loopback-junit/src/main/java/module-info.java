/**
 * Loopback for JUnit Jupiter: the extension, {@code @LoopbackAddress}, AssertJ assertions and
 * waits.
 *
 * <p>JUnit Jupiter is the user's own (5.13+ or 6.x; a {@code provided} dependency in the POM), AssertJ
 * comes along because the assertions extend it. On the module path the extension sets
 * {@code @LoopbackAddress} fields by reflection, so a test module opens its test packages to this
 * module (as it does to {@code org.junit.platform.commons} for JUnit itself).
 */
module dev.loopback.junit {
    requires transitive dev.loopback.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.loopback.junit;
    exports dev.loopback.junit.assertj;
}
