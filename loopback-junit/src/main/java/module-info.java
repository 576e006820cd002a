/**
 * Loopback for JUnit Jupiter: the extension, {@code @LoopbackAddress}, AssertJ assertions and
 * Awaitility waits.
 *
 * <p>JUnit Jupiter is the user's own (5.13+ or 6.x; a {@code provided} dependency in the POM).
 * AssertJ and Awaitility come along, each read by a module that requires this one: the assertions
 * extend AssertJ's, {@code LoopbackAwait} is built on Awaitility and throws its timeout, and users
 * wait for link counters with Awaitility's {@code untilAsserted}. On the module path the extension
 * sets {@code @LoopbackAddress} fields by reflection, so a test module opens its test packages to
 * this module (as it does to {@code org.junit.platform.commons} for JUnit itself).
 */
// Awaitility 4.3.0 (and every earlier version) declares no module name: no module-info, no
// Automatic-Module-Name. Its jar, awaitility-4.3.0.jar, is therefore the automatic module
// "awaitility", the name the JDK derives from the file name, in every build tool that keeps Maven's
// file names — and the name its users' modules already require. "requires transitive" passes that
// name on (javac warns that automatic names may change: should Awaitility choose one of its own, this
// line follows it in the next release). The guide's module-path section (docs/guide/01-getting-started.md)
// says what a user writes, and consumers/module-path runs it.
// "exports": @Nullable from org.jspecify is read statically, not passed on (see dev.loopback.core).
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic", "exports"})
module dev.loopback.junit {
    requires transitive dev.loopback.core;
    requires static org.jspecify;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires transitive awaitility;

    exports dev.loopback.junit;
    exports dev.loopback.junit.assertj;
}
