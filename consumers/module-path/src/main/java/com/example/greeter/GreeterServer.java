package com.example.greeter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Answers each line "name" with "hello, name", on a listener Loopback bound for the test. */
public final class GreeterServer implements AutoCloseable {

    private final ServerSocketChannel listener;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    public GreeterServer(ServerSocketChannel listener) {
        this.listener = listener;
        thread.submit(this::serve);
    }

    private Void serve() {
        while (listener.isOpen()) {
            try (Socket peer = listener.socket().accept();
                    BufferedReader in = new BufferedReader(new InputStreamReader(peer.getInputStream(),
                            StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(peer.getOutputStream(), true, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.println("hello, " + line);
                }
            } catch (IOException closedOrReset) {
                // the next connection, or the end
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        thread.shutdownNow();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}
