/**
 * JUnit Jupiter integration for Loopback: the extension, {@code @LoopbackAddress},
 * AssertJ assertions and waits for servers to start and stop.
 */
package dev.loopback.junit;
