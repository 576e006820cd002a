/**
 * Loopback core: spaces, leases, endpoints, links, faults and socket inspection.
 * Depends on the JDK only; {@code dev.loopback.internal} packages are not exported, except
 * {@code dev.loopback.internal.access}, to the JUnit extension only.
 */
// The qualified export names a module that depends on this one, so it is absent when this compiles.
// "exports": the API's @Nullable comes from org.jspecify, read statically and not passed on, so that a
// consumer on the module path without JSpecify still compiles (consumers/module-path).
@SuppressWarnings({"module", "exports"})
module dev.loopback.core {
    // Nullness annotations (@NullMarked, @Nullable): needed to compile, not at run time.
    requires static org.jspecify;

    exports dev.loopback;
    exports dev.loopback.inspect;
    exports dev.loopback.internal.access to dev.loopback.junit;
}
