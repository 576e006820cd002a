/**
 * JUnit Jupiter integration for Loopback: the extension, {@code @LoopbackAddress},
 * AssertJ assertions and Awaitility waits.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it is marked
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.loopback.junit;

import org.jspecify.annotations.NullMarked;
