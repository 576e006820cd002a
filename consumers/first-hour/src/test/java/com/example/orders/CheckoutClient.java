package com.example.orders;

import dev.loopback.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The client under test: pays over a fresh connection and retries once when it fails. */
final class CheckoutClient {

    private final Endpoint payments;

    CheckoutClient(Endpoint payments) {
        this.payments = payments;
    }

    String pay(int amount) {
        try {
            return attempt(amount);
        } catch (IOException first) {
            try {
                return attempt(amount);
            } catch (IOException second) {
                second.addSuppressed(first);
                throw new UncheckedIOException(second);
            }
        }
    }

    private String attempt(int amount) throws IOException {
        try (Socket socket = new Socket(payments.address(), payments.port())) {
            socket.setSoTimeout(10_000);
            PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            out.println("pay " + amount);
            String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (answer == null) {
                throw new IOException("connection closed before the answer");
            }
            return answer;
        }
    }
}
