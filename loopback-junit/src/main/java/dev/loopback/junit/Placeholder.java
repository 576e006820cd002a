package dev.loopback.junit;

/**
 * Temporary: keeps the exported package non-empty (and javadoc non-empty) until the
 * real public types of this package exist. Delete it then.
 */
public final class Placeholder {

    private Placeholder() {
    }
}
