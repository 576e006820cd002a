package dev.loopback.examples.snippets.stubs;

import dev.loopback.Endpoint;

/** Stands in for the user's service in documentation snippets. */
public interface OrderService extends AutoCloseable {

    /** Serves on {@code web}, using the database at {@code db}. */
    static OrderService start(Endpoint web, Endpoint db) {
        throw new UnsupportedOperationException("a documentation stub");
    }
}
