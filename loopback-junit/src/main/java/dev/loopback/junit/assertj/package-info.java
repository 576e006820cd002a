/**
 * AssertJ assertions for Loopback's types; start from
 * {@link dev.loopback.junit.LoopbackAssertions#assertThat(dev.loopback.Endpoint)} and its overloads.
 */
package dev.loopback.junit.assertj;
