package dev.loopback.examples.support;

import dev.loopback.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A tiny blocking line-protocol server for the scenarios: it answers each line a client sends with
 * {@code reply.apply(line)} and a newline. Stand-in for the real server a user's test would start.
 */
public final class LineServer implements AutoCloseable {

    private final ServerSocketChannel listener;
    private final UnaryOperator<String> reply;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "line-server");
        t.setDaemon(true);
        return t;
    });
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();

    private LineServer(ServerSocketChannel listener, UnaryOperator<String> reply) {
        this.listener = listener;
        this.reply = reply;
    }

    /** Serves on {@code listener} (already bound, for example by {@code LoopbackSpace.bind}). */
    public static LineServer start(ServerSocketChannel listener, UnaryOperator<String> reply) {
        LineServer server = new LineServer(listener, reply);
        server.threads.execute(server::acceptLoop);
        return server;
    }

    /** Returns where the server listens. */
    public Endpoint endpoint() {
        try {
            return Endpoint.of((InetSocketAddress) listener.getLocalAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns how many connections the server has accepted. */
    public int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            try {
                SocketChannel client = listener.accept();
                accepted.incrementAndGet();
                open.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SocketChannel channel) {
        try (Socket socket = channel.socket();
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = socket.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                out.write((reply.apply(line) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException clientGone) {
            // the client reset or closed the connection: nothing to answer any more
        } finally {
            open.remove(channel);
        }
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() throws IOException {
        listener.close();
        for (SocketChannel channel : open) {
            channel.close();
        }
        threads.shutdownNow();
    }
}
