/**
 * The bridge between loopback-core and the JUnit extension: what the extension needs of a space
 * and of the platform that users do not ({@link dev.loopback.internal.access.SpaceAccess},
 * {@link dev.loopback.internal.access.FastPaths}). Exported to {@code dev.loopback.junit} only;
 * not an API, and it may change in any release.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it is marked
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.loopback.internal.access;

import org.jspecify.annotations.NullMarked;
