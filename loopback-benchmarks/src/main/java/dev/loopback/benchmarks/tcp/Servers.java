package dev.loopback.benchmarks.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Servers the side-by-side harness measures against: all plain JDK, the same for every path. */
final class Servers {

    private Servers() {}

    /** A server with one blocking thread per connection. */
    static final class Blocking implements AutoCloseable {
        interface Handler {
            void handle(Socket s) throws IOException;
        }

        final ServerSocketChannel listener;
        private final Thread acceptor;
        private final List<Socket> sockets = new ArrayList<>();

        Blocking(ServerSocketChannel listener, Handler handler) {
            this(listener, handler, false);
        }

        /** With {@code inline}, connections are served one at a time on the accepting thread. */
        Blocking(ServerSocketChannel listener, Handler handler, boolean inline) {
            this.listener = listener;
            acceptor = new Thread(() -> {
                while (listener.isOpen()) {
                    try {
                        Socket s = listener.socket().accept();
                        s.setTcpNoDelay(true);
                        if (inline) {
                            try (s) {
                                handler.handle(s);
                            } catch (IOException ignored) {
                                // Client went away.
                            }
                            continue;
                        }
                        synchronized (sockets) {
                            sockets.add(s);
                        }
                        Thread t = new Thread(() -> {
                            try (s) {
                                handler.handle(s);
                            } catch (IOException ignored) {
                                // Client went away.
                            }
                        }, "bench-server-conn");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "bench-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) listener.getLocalAddress();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    /** Echoes every byte back. */
    static Blocking echo(ServerSocketChannel listener) {
        return new Blocking(listener, s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        });
    }

    /** Echoes one byte and closes, on the accepting thread: measures connection set-up, not thread start-up. */
    static Blocking oneByteEcho(ServerSocketChannel listener) {
        return new Blocking(listener, s -> {
            int b = s.getInputStream().read();
            if (b >= 0) {
                s.getOutputStream().write(b);
            }
        }, true);
    }

    /** Reads and discards, counting bytes. */
    static Blocking sink(ServerSocketChannel listener, AtomicLong received) {
        return new Blocking(listener, s -> {
            SocketChannel ch = s.getChannel();
            ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
            int n;
            while ((n = ch.read(buf)) >= 0) {
                received.addAndGet(n);
                buf.clear();
            }
        });
    }

    /** Writes zeros until the client closes. */
    static Blocking source(ServerSocketChannel listener) {
        return new Blocking(listener, s -> {
            SocketChannel ch = s.getChannel();
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
            while (true) {
                buf.clear();
                ch.write(buf);
            }
        });
    }

    /** A single-threaded NIO echo server, for many concurrent connections. */
    static final class NioEcho implements AutoCloseable {
        private final Selector selector;
        private final ServerSocketChannel listener;
        private final Thread thread;
        private volatile boolean running = true;

        NioEcho(ServerSocketChannel listener) throws IOException {
            this.listener = listener;
            listener.configureBlocking(false);
            selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
            thread = new Thread(this::run, "bench-nio-echo");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
            while (running) {
                try {
                    selector.select(key -> {
                        try {
                            if (key.isAcceptable()) {
                                SocketChannel c;
                                while ((c = listener.accept()) != null) {
                                    c.configureBlocking(false);
                                    c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                                    c.register(selector, SelectionKey.OP_READ);
                                }
                            } else if (key.isReadable()) {
                                SocketChannel c = (SocketChannel) key.channel();
                                buf.clear();
                                int n = c.read(buf);
                                if (n < 0) {
                                    c.close();
                                    return;
                                }
                                buf.flip();
                                while (buf.hasRemaining()) {
                                    c.write(buf); // tiny pings: the socket buffer always has room
                                }
                            }
                        } catch (IOException e) {
                            key.cancel();
                        }
                    }, 100);
                } catch (IOException e) {
                    return;
                }
            }
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) listener.getLocalAddress();
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join(5000);
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
            selector.close();
        }
    }
}
