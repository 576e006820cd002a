/**
 * JUnit Jupiter integration for Loopback: the extension, {@code @LoopbackAddress},
 * AssertJ assertions and Awaitility waits.
 */
package dev.loopback.junit;
