/**
 * Socket inspection: what the kernel reports about listeners and connections on leased loopback
 * addresses ({@link dev.loopback.inspect.SocketInspector}).
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it is marked
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.loopback.inspect;

import org.jspecify.annotations.NullMarked;
