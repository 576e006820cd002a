package dev.loopback.benchmarks.tcp;

import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpFault;
import dev.loopback.TcpLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.DelayThrottler;
import org.netcrusher.core.throttle.ThrottlerFactory;
import org.netcrusher.core.throttle.rate.ByteRateThrottler;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * Side-by-side TCP figures for direct loopback, a Loopback {@link TcpLink}, NetCrusher 0.10's
 * {@code TcpCrusher} and a plain JDK relay with two blocking threads per connection
 * ({@link JdkRelay}), all in one run, printed as markdown tables.
 *
 * <pre>
 * java -cp loopback-benchmarks/target/benchmarks.jar dev.loopback.benchmarks.tcp.TcpSideBySide
 * </pre>
 *
 * System properties: {@code bulk.mib} (bytes per bulk run, split evenly over its connections,
 * default 1024), {@code bulk.connections} (the concurrent transfers of the bulk rows, default
 * {@code 1,8,64}), {@code runs} (bulk and RTT repetitions, median reported, default 3),
 * {@code link.buffer} (the link's bound per direction), {@code quick=true} (smaller samples for a
 * smoke run), {@code only} (comma-separated sections: bulk, rtt, latency, bandwidth, thousand, cps).
 */
public final class TcpSideBySide {

    private static final boolean QUICK = Boolean.getBoolean("quick");
    private static final long BULK_BYTES = Long.getLong("bulk.mib", QUICK ? 128 : 1024) * 1024 * 1024;
    private static final int RUNS = Integer.getInteger("runs", QUICK ? 1 : 3);
    private static final int PINGS = QUICK ? 5_000 : 20_000;
    private static final String BULK_CONNECTIONS = System.getProperty("bulk.connections", "1,8,64");

    private final LoopbackSpace space;
    private final NioReactor reactor;

    private TcpSideBySide(LoopbackSpace space, NioReactor reactor) {
        this.space = space;
        this.reactor = reactor;
    }

    public static void main(String[] args) throws Exception {
        try (LoopbackSpace space = LoopbackSpace.builder()
                .linkBufferBytes(Integer.getInteger("link.buffer", LoopbackSpace.DEFAULT_LINK_BUFFER_BYTES)).open()) {
            NioReactor reactor = new NioReactor();
            try {
                new TcpSideBySide(space, reactor).run();
            } finally {
                reactor.close();
            }
        }
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "# TCP side by side (%s, %d CPUs, Java %s)%n%n", System.getProperty("os.name"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        String only = System.getProperty("only", "bulk,rtt,latency,bandwidth,thousand,cps");
        List<String> sections = List.of(only.split(","));
        if (sections.contains("bulk")) {
            bulk();
        }
        if (sections.contains("rtt")) {
            rtt();
        }
        if (sections.contains("latency")) {
            latencyAccuracy();
        }
        if (sections.contains("bandwidth")) {
            bandwidthAccuracy();
        }
        if (sections.contains("thousand")) {
            thousandConnections();
        }
        // Last: tens of thousands of short connections leave this VM's scheduler jittery for about a
        // minute afterwards (a bare 20 ms timer loop saw 27 wake-ups over 0.5 ms late in 1,500 right
        // after, 1 in 1,000 a minute later), which would land in the latency section's tail.
        if (sections.contains("cps")) {
            connectionsPerSecond();
        }
    }

    // ---------------------------------------------------------------- paths

    /** One way from a client to a server: direct, through a Loopback link, or through NetCrusher. */
    private interface Path extends AutoCloseable {
        InetSocketAddress address();

        @Override
        void close() throws Exception;
    }

    private static Path direct(InetSocketAddress server) {
        return new Path() {
            public InetSocketAddress address() {
                return server;
            }

            public void close() {}
        };
    }

    private Path link(InetSocketAddress server, TcpFault... faults) {
        TcpLink link = space.link(dev.loopback.Endpoint.of(server));
        for (TcpFault f : faults) {
            link.inject(f);
        }
        return new Path() {
            public InetSocketAddress address() {
                return link.endpoint().socketAddress();
            }

            public void close() {
                link.close();
            }
        };
    }

    private Path crusher(InetSocketAddress server, ThrottlerFactory throttler) {
        InetSocketAddress bind = space.endpoint("crusher").socketAddress();
        TcpCrusherBuilder b = TcpCrusherBuilder.builder().withReactor(reactor).withBindAddress(bind)
                .withConnectAddress(server).withTcpNoDelay(true);
        if (throttler != null) {
            b = b.withIncomingThrottlerFactory(throttler).withOutgoingThrottlerFactory(throttler);
        }
        TcpCrusher crusher = b.buildAndOpen();
        return new Path() {
            public InetSocketAddress address() {
                return bind;
            }

            public void close() {
                crusher.close();
            }
        };
    }

    private interface PathFactory {
        Path open(InetSocketAddress server) throws Exception;
    }

    private Path jdkRelay(InetSocketAddress server) {
        JdkRelay relay = new JdkRelay(space.bind("jdk-relay"), server);
        return new Path() {
            public InetSocketAddress address() {
                try {
                    return relay.address();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            public void close() throws IOException {
                relay.close();
            }
        };
    }

    private static final int DIRECT = 0;
    private static final int NETCRUSHER = 2;
    private static final int JDK_RELAY = 3;

    private List<String> names() {
        return List.of("direct", "Loopback TcpLink", "NetCrusher 0.10", "JDK relay (2 threads/conn)");
    }

    private List<PathFactory> plainPaths() {
        return List.of(TcpSideBySide::direct, s -> link(s), s -> crusher(s, null), this::jdkRelay);
    }

    // ---------------------------------------------------------------- bulk

    private void bulk() throws Exception {
        System.out.printf(Locale.ROOT, "## Bulk throughput (%d MiB one way in total, split over the connections; median of %d)%n%n",
                BULK_BYTES >> 20, RUNS);
        System.out.println("CPU s/GiB: the whole process's CPU time (writers, sink and relay) per GiB moved, median run;");
        System.out.println("less sensitive to other load on the machine than the rates.");
        System.out.println();
        System.out.println("| connections | path | GiB/s | × direct | × NetCrusher | × JDK relay | CPU s/GiB |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|");
        for (String n : BULK_CONNECTIONS.split(",")) {
            int connections = Integer.parseInt(n.trim());
            List<PathFactory> paths = plainPaths();
            double[] medians = new double[paths.size()];
            double[] cpu = new double[paths.size()];
            for (int p = 0; p < paths.size(); p++) {
                AtomicLong received = new AtomicLong();
                try (Servers.Blocking sink = Servers.sink(space.bind("bulk-" + connections + "-" + p), received);
                        Path path = paths.get(p).open(sink.address())) {
                    double[] rates = new double[RUNS];
                    double[] cpuPerGiB = new double[RUNS];
                    bulkOnce(path.address(), received, Math.min(BULK_BYTES, 64L << 20), connections); // warm-up
                    for (int r = 0; r < RUNS; r++) {
                        long cpuBefore = processCpuNanos();
                        rates[r] = bulkOnce(path.address(), received, BULK_BYTES, connections);
                        cpuPerGiB[r] = (processCpuNanos() - cpuBefore) / 1e9 / ((double) BULK_BYTES / (1 << 30));
                    }
                    medians[p] = median(rates);
                    cpu[p] = median(cpuPerGiB);
                }
            }
            for (int p = 0; p < paths.size(); p++) {
                System.out.printf(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", connections, names().get(p),
                        medians[p] / (1 << 30), medians[p] / medians[DIRECT], medians[p] / medians[NETCRUSHER],
                        medians[p] / medians[JDK_RELAY], cpu[p]);
            }
        }
        System.out.println();
    }

    /**
     * Sends {@code bytes} in total over {@code connections} concurrent connections, one writer
     * thread each, and returns the bytes per second from the start signal to the last byte the
     * sink received.
     */
    private static double bulkOnce(InetSocketAddress address, AtomicLong received, long bytes, int connections)
            throws Exception {
        received.set(0);
        long each = bytes / connections;
        long total = each * connections;
        List<SocketChannel> channels = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try {
            for (int c = 0; c < connections; c++) {
                SocketChannel ch = SocketChannel.open(address);
                channels.add(ch);
                Thread writer = new Thread(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
                    try {
                        go.await();
                        long sent = 0;
                        while (sent < each) {
                            buf.clear();
                            if (each - sent < buf.capacity()) {
                                buf.limit((int) (each - sent));
                            }
                            sent += ch.write(buf);
                        }
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }, "bench-bulk-writer");
                writer.setDaemon(true);
                writer.start();
                writers.add(writer);
            }
            long start = System.nanoTime();
            go.countDown();
            while (received.get() < total) {
                if (!failures.isEmpty()) {
                    throw new IOException("a bulk writer failed", failures.peek());
                }
                // Nap, not spin: a spinning thread would take one of the two CPUs from the paths measured.
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            double rate = total / ((System.nanoTime() - start) / 1e9);
            for (Thread w : writers) {
                w.join();
            }
            return rate;
        } finally {
            for (SocketChannel ch : channels) {
                ch.close();
            }
        }
    }

    // ---------------------------------------------------------------- RTT

    private void rtt() throws Exception {
        System.out.printf(Locale.ROOT, "## Ping-pong round trip (%d pings after warm-up, median run of %d)%n%n", PINGS, RUNS);
        System.out.println("| path | size | p50 µs | p99 µs | p99.9 µs | added p50 µs | added p99.9 µs |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (int size : new int[] {1, 1024}) {
            long[] direct = null;
            List<PathFactory> paths = plainPaths();
            for (int p = 0; p < paths.size(); p++) {
                try (Servers.Blocking echo = Servers.echo(space.bind("rtt-" + size + "-" + p));
                        Path path = paths.get(p).open(echo.address())) {
                    long[][] runs = new long[RUNS][];
                    for (int r = 0; r < RUNS; r++) {
                        runs[r] = pings(path.address(), size, PINGS);
                    }
                    Arrays.sort(runs, (a, b) -> Long.compare(a[1], b[1]));
                    long[] q = runs[RUNS / 2];
                    if (p == 0) {
                        direct = q;
                    }
                    System.out.printf(Locale.ROOT, "| %s | %d B | %.1f | %.1f | %.1f | %+.1f | %+.1f |%n", names().get(p), size,
                            q[1] / 1e3, q[2] / 1e3, q[3] / 1e3, (q[1] - direct[1]) / 1e3, (q[3] - direct[3]) / 1e3);
                }
            }
        }
        System.out.println();
    }

    /** Returns {mean, p50, p99, p99.9} of {@code count} round trips in nanoseconds. */
    private static long[] pings(InetSocketAddress address, int size, int count) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(address);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] msg = new byte[size];
            long[] samples = new long[count];
            for (int i = -count / 4; i < count; i++) {
                long start = System.nanoTime();
                out.write(msg);
                int got = 0;
                while (got < size) {
                    int n = in.read(msg, got, size - got);
                    if (n < 0) {
                        throw new IOException("EOF");
                    }
                    got += n;
                }
                if (i >= 0) {
                    samples[i] = System.nanoTime() - start;
                }
            }
            return quantiles(samples);
        }
    }

    // ---------------------------------------------------------------- connections per second

    private void connectionsPerSecond() throws Exception {
        long window = QUICK ? 1_000 : 2_000;
        System.out.printf(Locale.ROOT, "## Connections per second (connect, 1-byte echo, close; %d ms)%n%n", window);
        System.out.println("| path | conn/s | × direct | p50 ms | p99 ms |");
        System.out.println("|---|---:|---:|---:|---:|");
        double direct = 0;
        List<PathFactory> paths = plainPaths();
        for (int p = 0; p < paths.size(); p++) {
            try (Servers.Blocking echo = Servers.oneByteEcho(space.bind("cps-" + p)); Path path = paths.get(p).open(echo.address())) {
                connectLoop(path.address(), 300); // warm-up
                long[] samples = connectLoop(path.address(), window);
                double rate = samples.length / (window / 1e3);
                if (p == 0) {
                    direct = rate;
                }
                long[] q = quantiles(samples);
                System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.3f | %.2f |%n", names().get(p), rate, rate / direct,
                        q[1] / 1e6, q[2] / 1e6);
            }
        }
        System.out.println();
    }

    private static long[] connectLoop(InetSocketAddress address, long millis) throws IOException {
        long end = System.nanoTime() + millis * 1_000_000;
        long[] samples = new long[1 << 16];
        int n = 0;
        while (System.nanoTime() < end && n < samples.length) {
            long start = System.nanoTime();
            try (Socket s = new Socket()) {
                s.setSoLinger(true, 0); // no TIME_WAIT pile-up on the client's side
                s.connect(address);
                s.getOutputStream().write(1);
                if (s.getInputStream().read() != 1) {
                    throw new IOException("no echo");
                }
            }
            samples[n++] = System.nanoTime() - start;
        }
        return Arrays.copyOf(samples, n);
    }

    // ---------------------------------------------------------------- latency accuracy

    private void latencyAccuracy() throws Exception {
        System.out.println("## Latency accuracy (delay d each way; error = measured RTT − 2d − direct RTT p50 with the same pause)");
        System.out.println();
        System.out.println("Direct pings pause 2d between round trips, as the delayed pings do, so the baseline includes the");
        System.out.println("machine's cost of waking idle threads; the error is what the relay adds beyond the requested delay.");
        System.out.println("The direct p99 − p50 column is the machine's own wake-up jitter after such a pause, which no relay");
        System.out.println("can remove: it bounds how small a p99 error can be on this machine.");
        System.out.println();
        System.out.println("| path | delay | pings | direct p50 µs (paused) | direct p99 − p50 µs | p50 error µs | p99 error µs | min RTT − 2d µs (never < 0) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        try (Servers.Blocking echo = Servers.echo(space.bind("latency"))) {
            for (long ms : new long[] {1, 20, 200}) {
                // 1,000 / 500 / 50 pings: enough that p99 is a percentile, not the single worst ping.
                int count = (int) Math.max(QUICK ? 5 : 50, Math.min(QUICK ? 200 : 1000, 20_000 / (2 * ms)));
                long pause = 2 * ms * 1_000_000;
                long[] direct = quantiles(pings(echo.address(), 1, count, count / 5, pause));
                long base = direct[1];
                long jitter = direct[2] - direct[1];
                Duration d = Duration.ofMillis(ms);
                try (Path link = link(echo.address(), Fault.latency(d))) {
                    report("Loopback TcpLink", ms, base, jitter, pings(link.address(), 1, count, count / 5, 0), pause + base);
                }
                ThrottlerFactory delay = a -> new DelayThrottler(ms, TimeUnit.MILLISECONDS);
                try (Path crusher = crusher(echo.address(), delay)) {
                    report("NetCrusher 0.10", ms, base, jitter, pings(crusher.address(), 1, count, count / 5, 0), pause + base);
                }
            }
        }
        System.out.println();
    }

    private static long[] pings(InetSocketAddress address, int size, int count, int warmup, long pauseNanos) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(address);
            byte[] msg = new byte[size];
            long[] samples = new long[count];
            for (int i = -warmup; i < count; i++) {
                if (pauseNanos > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
                }
                long start = System.nanoTime();
                s.getOutputStream().write(msg);
                if (s.getInputStream().readNBytes(size).length != size) {
                    throw new IOException("EOF");
                }
                if (i >= 0) {
                    samples[i] = System.nanoTime() - start;
                }
            }
            return samples;
        }
    }

    private static void report(String name, long ms, long base, long jitter, long[] samples, long expected) {
        long[] errors = Arrays.stream(samples).map(s -> s - expected).sorted().toArray();
        long[] q = quantiles(errors);
        System.out.printf(Locale.ROOT, "| %s | %d ms | %d | %.0f | %.0f | %+.0f | %+.0f | %+.0f |%n", name, ms, samples.length,
                base / 1e3, jitter / 1e3, q[1] / 1e3, q[2] / 1e3, (errors[0] + base) / 1e3);
    }

    // ---------------------------------------------------------------- bandwidth accuracy

    private void bandwidthAccuracy() throws Exception {
        long window = QUICK ? 1_000 : 2_000;
        System.out.printf(Locale.ROOT, "## Bandwidth accuracy (server streams, client reads for %d ms)%n%n", window);
        System.out.println("| requested | Loopback measured/requested | NetCrusher measured/requested |");
        System.out.println("|---:|---:|---:|");
        try (Servers.Blocking source = Servers.source(space.bind("bandwidth"))) {
            for (long rate : new long[] {1 << 10, 10 << 10, 100 << 10, 1 << 20, 10 << 20, 100 << 20}) {
                double ours;
                try (Path link = link(source.address(), Fault.bandwidth(rate).toClient())) {
                    ours = readFor(link.address(), window) / (double) rate;
                }
                double theirs;
                ThrottlerFactory limit = a -> new ByteRateThrottler(rate, 1, TimeUnit.SECONDS);
                try (Path crusher = crusher(source.address(), limit)) {
                    theirs = readFor(crusher.address(), window) / (double) rate;
                }
                System.out.printf(Locale.ROOT, "| %s/s | %.3f | %.3f |%n", bytes(rate), ours, theirs);
            }
        }
        System.out.println();
    }

    /** Returns the bytes per second read from {@code address} during {@code millis}. */
    private static double readFor(InetSocketAddress address, long millis) throws IOException {
        try (SocketChannel ch = SocketChannel.open(address)) {
            ch.configureBlocking(false);
            ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
            long start = System.nanoTime();
            long end = start + millis * 1_000_000;
            long total = 0;
            java.nio.channels.Selector sel = java.nio.channels.Selector.open();
            ch.register(sel, java.nio.channels.SelectionKey.OP_READ);
            while (System.nanoTime() < end) {
                sel.select(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                sel.selectedKeys().clear();
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            sel.close();
            return total / ((System.nanoTime() - start) / 1e9);
        }
    }

    // ---------------------------------------------------------------- 1,000 connections

    private void thousandConnections() throws Exception {
        int connections = 1000;
        System.out.printf(Locale.ROOT, "## %d concurrent connections (NIO echo server; 5 rounds of 1-byte pings)%n%n", connections);
        System.out.println("| path | engine threads | heap + direct per connection | p50 µs | p99 µs | added p99 µs |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        long directP99 = 0;
        try (Servers.NioEcho echo = new Servers.NioEcho(space.bind("thousand"))) {
            for (int p = 0; p < 2; p++) {
                long before = usedMemory();
                try (Path path = p == 0 ? direct(echo.address()) : link(echo.address())) {
                    List<Socket> sockets = new ArrayList<>();
                    try {
                        for (int i = 0; i < connections; i++) {
                            Socket s = new Socket();
                            s.setTcpNoDelay(true);
                            s.connect(path.address());
                            sockets.add(s);
                        }
                        long[] samples = new long[5 * connections];
                        int n = 0;
                        for (int round = 0; round < 5; round++) {
                            for (Socket s : sockets) {
                                long start = System.nanoTime();
                                s.getOutputStream().write(1);
                                if (s.getInputStream().read() != 1) {
                                    throw new IOException("no echo");
                                }
                                samples[n++] = System.nanoTime() - start;
                            }
                        }
                        long perConnection = (usedMemory() - before) / connections;
                        long[] q = quantiles(samples);
                        if (p == 0) {
                            directP99 = q[2];
                        }
                        long engine = Thread.getAllStackTraces().keySet().stream()
                                .filter(t -> t.getName().startsWith("loopback-io-")).count();
                        System.out.printf(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %+.1f |%n", p == 0 ? "direct" : "Loopback TcpLink",
                                p == 0 ? "–" : String.valueOf(engine), p == 0 ? "(client sockets only)" : bytes(perConnection),
                                q[1] / 1e3, q[2] / 1e3, (q[2] - directP99) / 1e3);
                    } finally {
                        for (Socket s : sockets) {
                            s.close();
                        }
                    }
                }
            }
        }
        System.out.println();
        System.out.println("NetCrusher is left out of the 1,000-connection run: it allocates 4 MiB of direct buffers per connection.");
        System.out.println();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long usedMemory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return heap + direct;
    }

    // ---------------------------------------------------------------- helpers

    /** Returns {mean, p50, p99, p99.9}. */
    private static long[] quantiles(long[] samples) {
        long[] s = samples.clone();
        Arrays.sort(s);
        long mean = (long) Arrays.stream(s).average().orElse(0);
        return new long[] {mean, at(s, 0.50), at(s, 0.99), at(s, 0.999)};
    }

    private static long at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static String bytes(long n) {
        if (n >= 1 << 20 && n % (1 << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return n + " B";
    }
}
