package dev.loopback.benchmarks.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The plainest relay the JDK offers, as a second peer for the side-by-side harness: blocking
 * sockets and two threads per connection, each copying one direction through its own 256 KiB
 * direct buffer (the size of a Loopback link's default bound) and forwarding EOF as
 * {@code shutdownOutput}. No faults, no bound beyond the buffer: what a relay costs when it does
 * nothing but move bytes with a thread per direction.
 */
final class JdkRelay implements AutoCloseable {

    private static final int BUFFER_BYTES = 256 * 1024;

    private final ServerSocketChannel listener;
    private final InetSocketAddress upstream;
    private final Thread acceptor;
    private final List<SocketChannel> channels = new ArrayList<>();

    JdkRelay(ServerSocketChannel listener, InetSocketAddress upstream) {
        this.listener = listener;
        this.upstream = upstream;
        this.acceptor = new Thread(this::acceptLoop, "jdk-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            SocketChannel client;
            SocketChannel server;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            try {
                server = SocketChannel.open(upstream);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            try {
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                server.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            synchronized (channels) {
                channels.add(client);
                channels.add(server);
            }
            Pair pair = new Pair(client, server);
            start(() -> pair.copy(client, server), "jdk-relay-to-server");
            start(() -> pair.copy(server, client), "jdk-relay-to-client");
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** One relayed connection: both channels close once both directions have ended. */
    private static final class Pair {
        private final SocketChannel client;
        private final SocketChannel server;
        private int ended;

        Pair(SocketChannel client, SocketChannel server) {
            this.client = client;
            this.server = server;
        }

        void copy(SocketChannel from, SocketChannel to) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
            }
            synchronized (this) {
                if (++ended == 2) {
                    closeQuietly(client);
                    closeQuietly(server);
                }
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Going away either way.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (channels) {
            for (SocketChannel c : channels) {
                closeQuietly(c);
            }
            channels.clear();
        }
    }
}
