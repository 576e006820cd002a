package dev.loopback.testing.tcp;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import java.io.IOException;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A blocking TCP server on a host of a space: one acceptor thread, handlers on a fixed pool. */
public final class TestServer implements AutoCloseable {

    /** Serves one accepted connection; the server closes the socket afterwards. */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private final ServerSocketChannel listener;
    private final Endpoint endpoint;
    private final ExecutorService pool;
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> peers = new ConcurrentLinkedQueue<>();

    private TestServer(ServerSocketChannel listener, int threads, Handler handler) throws IOException {
        this.listener = listener;
        this.endpoint = Endpoint.of((java.net.InetSocketAddress) listener.getLocalAddress());
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "test-server-" + endpoint);
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(() -> acceptLoop(handler), "test-acceptor-" + endpoint);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a server on host {@code host} of {@code space} with {@code threads} handler threads. */
    public static TestServer start(LoopbackSpace space, String host, int threads, Handler handler) {
        try {
            // Not space.bind(host): its default backlog of 50 overflows when a link dials 1,000 connections at once.
            ServerSocketChannel listener = ServerSocketChannel.open();
            listener.bind(new java.net.InetSocketAddress(space.host(host), 0), 4096);
            return new TestServer(listener, threads, handler);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts a server on an already bound {@code listener} with {@code threads} handler threads. */
    public static TestServer start(ServerSocketChannel listener, int threads, Handler handler) {
        try {
            return new TestServer(listener, threads, handler);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Copies everything back, then half-closes after the client's EOF. */
    public static final Handler ECHO = s -> {
        s.getInputStream().transferTo(s.getOutputStream());
        s.shutdownOutput();
    };

    /** An echo server: copies everything back, then half-closes after the client's EOF. */
    public static TestServer echo(LoopbackSpace space, int threads) {
        return start(space, "server", threads, s -> {
            s.getInputStream().transferTo(s.getOutputStream());
            s.shutdownOutput();
        });
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public int accepted() {
        return accepted.get();
    }

    /** Remote addresses of accepted connections, as {@code host} text. */
    public List<String> peers() {
        return List.copyOf(peers);
    }

    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void acceptLoop(Handler handler) {
        while (listener.isOpen()) {
            Socket s;
            try {
                s = listener.socket().accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            sockets.add(s);
            peers.add(s.getInetAddress().getHostAddress());
            pool.execute(() -> {
                try (s) {
                    handler.handle(s);
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
        }
    }

    @Override
    public void close() throws Exception {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        acceptor.join(10_000);
    }
}
