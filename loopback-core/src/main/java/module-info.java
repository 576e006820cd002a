/**
 * Loopback core: spaces, leases, endpoints, links, faults and socket inspection.
 * Depends on the JDK only; {@code dev.loopback.internal} packages are not exported.
 */
module dev.loopback.core {
    exports dev.loopback;
    exports dev.loopback.inspect;
}
