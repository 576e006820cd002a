/**
 * Loopback's API: a {@link dev.loopback.LoopbackSpace} leases loopback addresses and ports
 * ({@link dev.loopback.Endpoint}), opens links between them ({@link dev.loopback.TcpLink},
 * {@link dev.loopback.UdpLink}) and injects faults on those links ({@link dev.loopback.Fault}).
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it is marked
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.loopback;

import org.jspecify.annotations.NullMarked;
