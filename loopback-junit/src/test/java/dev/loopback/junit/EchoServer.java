package dev.loopback.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A TCP echo server on a listener the test got from its space: one connection at a time, echoes
 * until EOF. {@link #close()} stops it and waits for its thread.
 */
final class EchoServer implements AutoCloseable {

    private final ServerSocket listener;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    EchoServer(ServerSocket listener) {
        this.listener = listener;
        thread.submit(this::serve);
    }

    private Void serve() throws IOException {
        while (!listener.isClosed()) {
            try (Socket peer = listener.accept(); InputStream in = peer.getInputStream();
                    OutputStream out = peer.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException connectionOrListenerClosed) {
                // a reset connection ends its echo; a closed listener ends the loop
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        thread.shutdownNow();
        if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("echo server thread did not stop");
        }
    }
}
