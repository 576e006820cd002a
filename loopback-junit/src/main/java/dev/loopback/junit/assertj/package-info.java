/**
 * AssertJ assertions for Loopback's types; start from
 * {@link dev.loopback.junit.LoopbackAssertions#assertThat(dev.loopback.Endpoint)} and its overloads.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it is marked
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.loopback.junit.assertj;

import org.jspecify.annotations.NullMarked;
