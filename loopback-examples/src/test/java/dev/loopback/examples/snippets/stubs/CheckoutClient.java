package dev.loopback.examples.snippets.stubs;

import dev.loopback.Endpoint;

/** Stands in for the user's client of the payment server in documentation snippets. */
public class CheckoutClient {

    /** A client of the payment server at {@code payments}. */
    public CheckoutClient(Endpoint payments) {}

    /** Pays {@code amount}; returns the server's answer. */
    public String pay(int amount) {
        throw new UnsupportedOperationException("a documentation stub");
    }
}
