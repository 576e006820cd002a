package dev.loopback.examples.snippets.stubs;

import java.nio.channels.ServerSocketChannel;

/** Stands in for the user's payment server in documentation snippets. */
public interface PaymentServer extends AutoCloseable {

    /** Serves on {@code listener}. */
    static PaymentServer start(ServerSocketChannel listener) {
        throw new UnsupportedOperationException("a documentation stub");
    }
}
