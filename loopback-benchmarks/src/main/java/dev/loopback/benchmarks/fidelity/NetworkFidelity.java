package dev.loopback.benchmarks.fidelity;

import dev.loopback.Fault;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpConnection;
import dev.loopback.TcpLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * How closely a link imitates the network it stands for, in the two places where that is a number.
 *
 * <p><b>window</b>: a bulk download through {@code latency(50 ms)} (both ways: a 100 ms round
 * trip) for several link windows, and a 1 MiB GET on an open connection, each timed from the
 * request to the last byte, against the model of a real path with that round trip and a fully open
 * window (no slow start, no loss, no bandwidth limit): the sender sends a window per round trip, so
 * {@code n} bytes take {@code RTT × max(1, n / window)}.
 *
 * <p><b>fair</b>: 4 and 16 parallel downloads through one {@code bandwidth(1 MiB/s).shared()}: the
 * bytes the link wrote to each connection over each of three seconds, and the spread of those
 * shares around their mean.
 *
 * <pre>java -cp benchmarks.jar dev.loopback.benchmarks.fidelity.NetworkFidelity [window|fair]</pre>
 */
public final class NetworkFidelity {

    private static final Duration ONE_WAY = Duration.ofMillis(50);
    private static final double RTT = 2 * ONE_WAY.toNanos() / 1e9;
    private static final int MIB = 1 << 20;

    private NetworkFidelity() {}

    public static void main(String[] args) throws Exception {
        String only = args.length > 0 ? args[0] : "";
        if (only.isEmpty() || only.equals("window")) {
            window();
        }
        if (only.isEmpty() || only.equals("fair")) {
            fair(4);
            fair(16);
        }
    }

    // ---------------------------------------------------------------- window

    private static void window() throws Exception {
        System.out.println("latency(50 ms) both ways (RTT 100 ms); model: n bytes take RTT x max(1, n / window)");
        System.out.printf(Locale.ROOT, "%-10s %-9s %9s %11s %7s %13s %9s %7s%n", "window", "download", "MB/s",
                "model MB/s", "ratio", "1 MiB GET ms", "model ms", "ratio");
        for (int window : new int[] {MIB, LoopbackSpace.DEFAULT_LINK_WINDOW_BYTES, 16 * MIB}) {
            int bytes = Math.max(32 * MIB, 8 * window);
            try (LoopbackSpace space = LoopbackSpace.builder().linkWindowBytes(window).open();
                    ServerSocketChannel listener = ServerSocketChannel.open()) {
                listener.bind(new InetSocketAddress(space.host("server"), 0));
                Thread server = serve(listener);
                TcpLink link = space.link(dev.loopback.Endpoint.of((InetSocketAddress) listener.getLocalAddress()));
                link.inject(Fault.latency(ONE_WAY));
                double bulk = Double.MAX_VALUE;
                for (int run = 0; run < 3; run++) {
                    bulk = Math.min(bulk, fetch(link, bytes, true));
                }
                double get = Double.MAX_VALUE;
                for (int run = 0; run < 3; run++) {
                    get = Math.min(get, fetch(link, MIB, true));
                }
                double modelBulk = model(bytes, window);
                double modelGet = model(MIB, window);
                System.out.printf(Locale.ROOT, "%-10s %-9s %9.1f %11.1f %7.2f %13.0f %9.0f %7.2f%n", window / 1024 + " KiB",
                        bytes / MIB + " MiB", bytes / bulk / 1e6, bytes / modelBulk / 1e6, modelBulk / bulk, get * 1e3,
                        modelGet * 1e3, modelGet / get);
                listener.close();
                server.join(5_000);
            }
        }
    }

    /** Seconds a real path with a 100 ms round trip and a fully open {@code window} takes for {@code bytes}. */
    private static double model(int bytes, int window) {
        return RTT * Math.max(1, (double) bytes / window);
    }

    /**
     * Connects, asks for {@code bytes} and reads them; returns the seconds from the request to the
     * last byte. With {@code warm}, a first 1-byte exchange opens the connection and the request is
     * timed on it, as on a pooled connection.
     */
    private static double fetch(TcpLink link, int bytes, boolean warm) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(link.endpoint().socketAddress(), 10_000);
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] b = new byte[256 * 1024];
            if (warm) {
                request(out, 1);
                readFully(in, b, 1);
            }
            long start = System.nanoTime();
            request(out, bytes);
            readFully(in, b, bytes);
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static void request(OutputStream out, int bytes) throws IOException {
        out.write(new byte[] {(byte) (bytes >>> 24), (byte) (bytes >>> 16), (byte) (bytes >>> 8), (byte) bytes});
        out.flush();
    }

    private static void readFully(InputStream in, byte[] b, long bytes) throws IOException {
        for (long got = 0; got < bytes; ) {
            int n = in.read(b, 0, (int) Math.min(b.length, bytes - got));
            if (n < 0) {
                throw new IOException("EOF after " + got + " of " + bytes + " bytes");
            }
            got += n;
        }
    }

    /** A server that answers each 4-byte request of n with n bytes, one thread per connection. */
    private static Thread serve(ServerSocketChannel listener) {
        Thread acceptor = new Thread(() -> {
            while (listener.isOpen()) {
                Socket s;
                try {
                    s = listener.socket().accept();
                } catch (IOException closed) {
                    return;
                }
                Thread t = new Thread(() -> {
                    byte[] chunk = new byte[64 * 1024];
                    try (s) {
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        byte[] request = new byte[4];
                        while (in.readNBytes(request, 0, 4) == 4) {
                            int n = (request[0] & 0xff) << 24 | (request[1] & 0xff) << 16 | (request[2] & 0xff) << 8
                                    | (request[3] & 0xff);
                            for (int sent = 0; sent < n; sent += chunk.length) {
                                out.write(chunk, 0, Math.min(chunk.length, n - sent));
                            }
                            out.flush();
                        }
                    } catch (IOException clientLeft) {
                        // done
                    }
                }, "fidelity-server");
                t.setDaemon(true);
                t.start();
            }
        }, "fidelity-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return acceptor;
    }

    // ---------------------------------------------------------------- fair

    private static void fair(int downloads) throws Exception {
        long rate = MIB;
        try (LoopbackSpace space = LoopbackSpace.open(); ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(space.host("server"), 0));
            Thread server = serve(listener);
            TcpLink link = space.link(dev.loopback.Endpoint.of((InetSocketAddress) listener.getLocalAddress()));
            link.inject(Fault.bandwidth(rate).shared().toClient());
            List<Socket> clients = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < downloads; i++) {
                Socket s = new Socket();
                s.connect(link.endpoint().socketAddress(), 10_000);
                s.setSoTimeout(1_000);
                clients.add(s);
                request(s.getOutputStream(), Integer.MAX_VALUE);
                Thread reader = new Thread(() -> drain(s), "fidelity-download");
                reader.setDaemon(true);
                reader.start();
                readers.add(reader);
            }
            awaitAllDownloading(link, downloads);
            sleepSeconds(0.5);
            System.out.printf(Locale.ROOT, "%n%d downloads through bandwidth(1 MiB/s).shared(): bytes per connection per second%n",
                    downloads);
            long[] before = sent(link);
            for (int second = 1; second <= 3; second++) {
                long start = System.nanoTime();
                sleepSeconds(1);
                long[] after = sent(link);
                double seconds = (System.nanoTime() - start) / 1e9;
                long[] shares = new long[downloads];
                for (int i = 0; i < downloads; i++) {
                    shares[i] = after[i] - before[i];
                }
                LongSummary s = new LongSummary(shares);
                System.out.printf(Locale.ROOT, "  second %d: total %.0f B/s; per connection min %d, mean %.0f, max %d:"
                        + " %+.1f %% .. %+.1f %% of the mean%n", second, s.sum / seconds, s.min, s.mean, s.max,
                        (s.min / s.mean - 1) * 100, (s.max / s.mean - 1) * 100);
                before = after;
            }
            for (Socket c : clients) {
                c.close();
            }
            for (Thread r : readers) {
                r.join(5_000);
            }
            listener.close();
            server.join(5_000);
        }
    }

    /** Waits (a loaded machine may take seconds) until the link has all {@code downloads} connections, each receiving. */
    private static void awaitAllDownloading(TcpLink link, int downloads) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (link.connections().size() < downloads
                || link.connections().stream().anyMatch(c -> c.bytesToClient() == 0)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("after 30 s the link has " + link.connections() + ", not " + downloads
                        + " connections each receiving");
            }
            sleepSeconds(0.01);
        }
    }

    private static void drain(Socket s) {
        byte[] b = new byte[64 * 1024];
        try (InputStream in = s.getInputStream()) {
            while (!s.isClosed()) {
                try {
                    if (in.read(b) < 0) {
                        return;
                    }
                } catch (SocketTimeoutException idle) {
                    // keep reading
                }
            }
        } catch (IOException closed) {
            // the benchmark closed it
        }
    }

    private static long[] sent(TcpLink link) {
        return link.connections().stream().mapToLong(TcpConnection::bytesToClient).toArray();
    }

    private static void sleepSeconds(double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    private record LongSummary(long min, long max, double mean, long sum) {
        LongSummary(long[] values) {
            this(Arrays.stream(values).min().orElseThrow(), Arrays.stream(values).max().orElseThrow(),
                    Arrays.stream(values).average().orElseThrow(), Arrays.stream(values).sum());
        }
    }
}
