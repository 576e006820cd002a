package dev.loopback.benchmarks.udp;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.LoopbackSpace;
import dev.loopback.UdpLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.datagram.DatagramCrusher;
import org.netcrusher.datagram.DatagramCrusherBuilder;

/**
 * Direct loopback vs a {@link UdpLink} vs NetCrusher's {@code DatagramCrusher}, in one run: datagram
 * ping-pong RTT, 1 KiB throughput (a blast at the sender's full speed, and a windowed flow that the
 * direct path delivers loss-free, and a sustained blast of {@value #SUSTAINED_SECONDS} s), loss when
 * paced at fractions of the rate the direct blast delivered, and the accuracy of a 10 % loss. Prints
 * markdown tables.
 *
 * <p>Run: {@code java -cp loopback-benchmarks/target/benchmarks.jar dev.loopback.benchmarks.udp.UdpSideBySide}
 * (optional argument: a scale factor for the datagram counts, default 1).
 */
public final class UdpSideBySide {

    private static final int SOCKET_BUFFER = 4 << 20;
    private static final int PING_BYTES = 64;
    private static final int BLAST_BYTES = 1024;
    private static final int WINDOW = 128;
    private static final double LOSS = 0.1;
    private static final int ROUNDS = 5;
    /** Length of the sustained blast: long enough to fill every queue on the way. */
    private static final int SUSTAINED_SECONDS = 2;
    /** Fractions of the direct blast's delivered rate at which every path is also paced. */
    private static final double[] PACED_FRACTIONS = {0.5, 0.75, 1.0};

    private final double scale;

    private UdpSideBySide(double scale) {
        this.scale = scale;
    }

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        new UdpSideBySide(scale).run();
    }

    /** One way of reaching a server: direct, through a UdpLink, or through NetCrusher. */
    private interface Path extends AutoCloseable {
        Endpoint entry();

        @Override
        void close();
    }

    /** Opens a path to {@code target}; a lossy one loses 10 % toward the server (direct cannot). */
    private interface PathFactory {
        Path open(Endpoint target, boolean lossy);
    }

    private record Result(String name, double p50, double p99, double blastSent, double blastDelivered,
            double blastLoss, double windowDelivered, long windowLost, double sustainedDelivered,
            double sustainedLoss, double lossObserved, long[] pacedSent, long[] pacedLost) {}

    /** Totals of one path over the rounds. */
    private static final class Totals {
        final List<long[]> rtt = new ArrayList<>();
        long blastSent;
        long blastReceived;
        long blastSendNanos;
        long blastDeliverNanos;
        long windowReceived;
        long windowLost;
        long windowNanos;
        long sustainedSent;
        long sustainedReceived;
        long sustainedNanos;
        double lossObserved;
        final long[] pacedSent = new long[PACED_FRACTIONS.length];
        final long[] pacedLost = new long[PACED_FRACTIONS.length];
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "# UDP side by side (%d cores, Java %s, %s %s, %d rounds)%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.version"), ROUNDS);
        List<String> names = List.of("direct", "UdpLink", "NetCrusher 0.10");
        List<Totals> totals = List.of(new Totals(), new Totals(), new Totals());
        try (LoopbackSpace space = LoopbackSpace.open();
                NioReactor reactor = new NioReactor()) {
            InetAddress client = space.host("client");
            List<PathFactory> factories = List.of(
                    (target, lossy) -> direct(target),
                    (target, lossy) -> link(space, target, lossy),
                    (target, lossy) -> crusher(space, reactor, target, lossy));
            // The paths take turns, round after round, so that a busy moment of the machine hits all alike.
            try (Echo echo = new Echo(space.host("server"))) {
                List<Path> paths = open(factories, echo.endpoint(), false);
                for (int round = -1; round < ROUNDS; round++) {
                    for (int i = 0; i < paths.size(); i++) {
                        long[] samples = pingPong(client, paths.get(i).entry(), count(6_000));
                        if (round >= 0) {
                            totals.get(i).rtt.add(samples);
                        }
                    }
                }
                paths.forEach(Path::close);
            }
            try (Sink sink = new Sink(space.host("server"))) {
                List<Path> paths = open(factories, sink.endpoint(), false);
                for (int round = -1; round < ROUNDS; round++) {
                    double directRate = 0;
                    for (int i = 0; i < paths.size(); i++) {
                        Totals t = round >= 0 ? totals.get(i) : new Totals();
                        double delivered = blast(client, paths.get(i).entry(), sink, count(40_000), t);
                        if (i == 0) {
                            directRate = delivered;
                        }
                        windowed(client, paths.get(i).entry(), sink, count(40_000), t);
                        sustained(client, paths.get(i).entry(), sink, t);
                    }
                    // "No unintended loss at any send rate the direct path delivers loss-free": pace
                    // every path at fractions of the rate the direct blast just delivered.
                    for (int f = 0; f < PACED_FRACTIONS.length; f++) {
                        for (int i = 0; i < paths.size(); i++) {
                            Totals t = round >= 0 ? totals.get(i) : new Totals();
                            int n = count(20_000);
                            long lost = Math.round(n * paced(client, paths.get(i).entry(), sink, n, BLAST_BYTES,
                                    PACED_FRACTIONS[f] * directRate));
                            t.pacedSent[f] += n;
                            t.pacedLost[f] += lost;
                        }
                    }
                }
                paths.forEach(Path::close);
            }
            try (Sink sink = new Sink(space.host("server"))) {
                List<Path> paths = open(factories, sink.endpoint(), true);
                for (int i = 0; i < paths.size(); i++) {
                    totals.get(i).lossObserved = paced(client, paths.get(i).entry(), sink, count(50_000), 64, 25_000);
                }
                paths.forEach(Path::close);
            }
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Totals t = totals.get(i);
            long[] rtt = t.rtt.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            results.add(new Result(names.get(i), rtt[rtt.length / 2] / 1e3, rtt[(int) (rtt.length * 0.99)] / 1e3,
                    t.blastSent / (t.blastSendNanos / 1e9), t.blastReceived / (t.blastDeliverNanos / 1e9),
                    1 - t.blastReceived / (double) t.blastSent, t.windowReceived / (t.windowNanos / 1e9), t.windowLost,
                    t.sustainedReceived / (t.sustainedNanos / 1e9), 1 - t.sustainedReceived / (double) t.sustainedSent,
                    t.lossObserved, t.pacedSent, t.pacedLost));
        }
        print(results);
    }

    private int count(int base) {
        return Math.max(100, (int) (base * scale));
    }

    private static List<Path> open(List<PathFactory> factories, Endpoint target, boolean lossy) {
        return factories.stream().map(f -> f.open(target, lossy)).toList();
    }

    // ---------------------------------------------------------------- paths

    private static Path direct(Endpoint target) {
        return new Path() {
            @Override
            public Endpoint entry() {
                return target;
            }

            @Override
            public void close() {}
        };
    }

    private static Path link(LoopbackSpace space, Endpoint target, boolean lossy) {
        UdpLink link = space.udpLink(target);
        if (lossy) {
            link.inject(Fault.loss(LOSS).toServer());
        }
        return new Path() {
            @Override
            public Endpoint entry() {
                return link.endpoint();
            }

            @Override
            public void close() {
                link.close();
            }
        };
    }

    private static Path crusher(LoopbackSpace space, NioReactor reactor, Endpoint target, boolean lossy) {
        Endpoint bind = space.endpoint("crusher");
        DatagramCrusherBuilder builder = DatagramCrusherBuilder.builder()
                .withReactor(reactor)
                .withBindAddress(bind.socketAddress())
                .withConnectAddress(target.socketAddress())
                .withRcvBufferSize(SOCKET_BUFFER)
                .withSndBufferSize(SOCKET_BUFFER);
        if (lossy) {
            // NetCrusher has no loss model: a user writes a pass filter.
            builder.withOutgoingPassFilterFactory(address -> {
                SplittableRandom random = new SplittableRandom(address.getPort());
                return buffer -> random.nextDouble() >= LOSS;
            });
        }
        DatagramCrusher crusher = builder.buildAndOpen();
        return new Path() {
            @Override
            public Endpoint entry() {
                return bind;
            }

            @Override
            public void close() {
                crusher.close();
            }
        };
    }

    // ---------------------------------------------------------------- measurements

    /** Returns the round-trip times in nanoseconds; a lost ping counts as {@code Long.MAX_VALUE}. */
    private static long[] pingPong(InetAddress host, Endpoint entry, int count) throws IOException {
        long[] nanos = new long[count];
        byte[] payload = new byte[PING_BYTES];
        byte[] reply = new byte[PING_BYTES];
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(host, 0))) {
            socket.setSoTimeout(1000);
            DatagramPacket out = new DatagramPacket(payload, payload.length, entry.socketAddress());
            DatagramPacket in = new DatagramPacket(reply, reply.length);
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                socket.send(out);
                try {
                    socket.receive(in);
                    nanos[i] = System.nanoTime() - start;
                } catch (SocketTimeoutException e) {
                    nanos[i] = Long.MAX_VALUE;
                }
            }
        }
        return nanos;
    }

    /**
     * Sends {@code count} 1 KiB datagrams as fast as possible; adds what was sent and delivered, and
     * how fast; returns the datagrams per second delivered.
     */
    private static double blast(InetAddress host, Endpoint entry, Sink sink, int count, Totals totals)
            throws IOException {
        ByteBuffer datagram = ByteBuffer.allocateDirect(BLAST_BYTES);
        datagram.putInt(0, sink.reset());
        InetSocketAddress to = entry.socketAddress();
        try (DatagramChannel sender = sender(host)) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                datagram.clear();
                while (sender.send(datagram, to) == 0) {
                    Thread.onSpinWait();
                }
            }
            long sendNanos = System.nanoTime() - start;
            long received = sink.awaitQuiet();
            totals.blastSent += count;
            totals.blastReceived += received;
            totals.blastSendNanos += sendNanos;
            totals.blastDeliverNanos += sink.lastArrival() - start;
            return received / ((sink.lastArrival() - start) / 1e9);
        }
    }

    /**
     * Keeps at most {@link #WINDOW} datagrams in flight (the sink's count is the acknowledgement);
     * a datagram missing for 200 ms is written off as lost. Adds what was delivered, lost, and how fast.
     */
    private static void windowed(InetAddress host, Endpoint entry, Sink sink, int count, Totals totals)
            throws IOException {
        ByteBuffer datagram = ByteBuffer.allocateDirect(BLAST_BYTES);
        datagram.putInt(0, sink.reset());
        long writtenOff = 0;
        InetSocketAddress to = entry.socketAddress();
        try (DatagramChannel sender = sender(host)) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long waitStart = System.nanoTime();
                while (i - sink.received() - writtenOff >= WINDOW) {
                    if (System.nanoTime() - waitStart > 200_000_000L) {
                        writtenOff = i - sink.received();
                        break;
                    }
                    // Sleep, not Thread.yield(): a yielding sender stays runnable and, on 2 vCPUs,
                    // took most of a CPU from the relay and the sink (measured: link 75k/s with
                    // yield, 108k/s parked; direct 135k/s and 152k/s).
                    LockSupport.parkNanos(20_000);
                }
                datagram.clear();
                while (sender.send(datagram, to) == 0) {
                    Thread.onSpinWait();
                }
            }
            long received = sink.awaitQuiet();
            totals.windowReceived += received;
            totals.windowLost += count - received;
            totals.windowNanos += sink.lastArrival() - start;
        }
    }

    /**
     * Sends 1 KiB datagrams as fast as possible for {@link #SUSTAINED_SECONDS}; adds what was sent and
     * delivered, and the time from the first send to the last arrival.
     */
    private static void sustained(InetAddress host, Endpoint entry, Sink sink, Totals totals) throws IOException {
        ByteBuffer datagram = ByteBuffer.allocateDirect(BLAST_BYTES);
        datagram.putInt(0, sink.reset());
        InetSocketAddress to = entry.socketAddress();
        try (DatagramChannel sender = sender(host)) {
            long start = System.nanoTime();
            long end = start + SUSTAINED_SECONDS * 1_000_000_000L;
            long sent = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 64; i++, sent++) {
                    datagram.clear();
                    while (sender.send(datagram, to) == 0) {
                        Thread.onSpinWait();
                    }
                }
            }
            long received = sink.awaitQuiet();
            totals.sustainedSent += sent;
            totals.sustainedReceived += received;
            totals.sustainedNanos += sink.lastArrival() - start;
        }
    }

    /**
     * Sends {@code count} datagrams of {@code bytes} at {@code perSecond}, in bursts of what one
     * millisecond allows; returns the fraction lost.
     */
    private static double paced(InetAddress host, Endpoint entry, Sink sink, int count, int bytes, double perSecond)
            throws IOException {
        ByteBuffer datagram = ByteBuffer.allocateDirect(bytes);
        datagram.putInt(0, sink.reset());
        InetSocketAddress to = entry.socketAddress();
        int burst = Math.max(1, (int) Math.round(perSecond / 1000));
        try (DatagramChannel sender = sender(host)) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (i % burst == 0) {
                    long due = start + (long) (i * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                datagram.clear();
                while (sender.send(datagram, to) == 0) {
                    Thread.onSpinWait();
                }
            }
            return 1 - sink.awaitQuiet() / (double) count;
        }
    }

    private static DatagramChannel sender(InetAddress host) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
        channel.bind(new InetSocketAddress(host, 0));
        return channel;
    }

    // ---------------------------------------------------------------- servers

    /** A datagram server on a thread of its own, with 4 MiB of receive buffer; subclasses handle each datagram. */
    private abstract static class Server implements AutoCloseable {
        final DatagramChannel channel;
        private final Thread thread;

        Server(InetAddress host, String name) throws IOException {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            channel.bind(new InetSocketAddress(host, 0));
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }

        Endpoint endpoint() throws IOException {
            return Endpoint.of((InetSocketAddress) channel.getLocalAddress());
        }

        /** Handles one datagram, flipped for reading, from {@code from}. */
        abstract void handle(ByteBuffer datagram, SocketAddress from) throws IOException;

        private void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
            try {
                while (true) {
                    buffer.clear();
                    SocketAddress from = channel.receive(buffer);
                    buffer.flip();
                    handle(buffer, from);
                }
            } catch (ClosedChannelException e) {
                // done
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws Exception {
            channel.close();
            thread.join();
        }
    }

    /** Echoes every datagram. */
    private static final class Echo extends Server {
        Echo(InetAddress host) throws IOException {
            super(host, "echo");
        }

        @Override
        void handle(ByteBuffer datagram, SocketAddress from) throws IOException {
            channel.send(datagram, from);
        }
    }

    /** Counts datagrams and remembers when the last one arrived. */
    private static final class Sink extends Server {
        private final AtomicLong received = new AtomicLong();
        private volatile long lastArrival;
        private volatile int tag;

        Sink(InetAddress host) throws IOException {
            super(host, "sink");
        }

        long received() {
            return received.get();
        }

        /**
         * Starts counting from 0 the datagrams that start with the returned tag, so that stragglers
         * of an earlier measurement are not counted.
         */
        int reset() {
            received.set(0);
            return ++tag;
        }

        long lastArrival() {
            return lastArrival;
        }

        /** Waits until nothing has arrived for 300 ms; returns the count. */
        long awaitQuiet() {
            long seen = -1;
            while (received.get() != seen) {
                seen = received.get();
                LockSupport.parkNanos(300_000_000L);
            }
            return seen;
        }

        @Override
        void handle(ByteBuffer datagram, SocketAddress from) {
            if (datagram.remaining() >= 4 && datagram.getInt(0) == tag) {
                lastArrival = System.nanoTime();
                received.incrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------- report

    private static void print(List<Result> results) {
        Result direct = results.get(0);
        Result crusher = results.get(2);
        System.out.println("| path | RTT p50 (µs) | RTT p99 (µs) | 1 KiB blast: sent/s | blast: delivered/s | blast loss |"
                + " windowed 1 KiB: delivered/s (× direct) | windowed: lost | " + SUSTAINED_SECONDS
                + " s blast: delivered/s (× NetCrusher) | " + SUSTAINED_SECONDS + " s blast: loss | loss(0.1) observed |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT,
                    "| %s | %.1f (%+.1f) | %.1f | %,.0f | %,.0f | %.1f %% | %,.0f (%.2f×) | %d | %,.0f (%.2f×) | %.1f %% | %s |%n",
                    r.name, r.p50, r.p50 - direct.p50, r.p99, r.blastSent, r.blastDelivered, 100 * r.blastLoss,
                    r.windowDelivered, r.windowDelivered / direct.windowDelivered, r.windowLost,
                    r.sustainedDelivered, r.sustainedDelivered / crusher.sustainedDelivered, 100 * r.sustainedLoss,
                    String.format(Locale.ROOT, r == direct ? "%.4f (no fault)" : "%.4f", r.lossObserved));
        }
        System.out.println();
        System.out.println("Paced 1 KiB datagrams, at fractions of the rate the direct blast delivered in the same round:");
        System.out.println();
        StringBuilder header = new StringBuilder("| path |");
        StringBuilder rule = new StringBuilder("|---|");
        for (double f : PACED_FRACTIONS) {
            header.append(String.format(Locale.ROOT, " %.0f %% of direct: lost |", 100 * f));
            rule.append("---:|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (Result r : results) {
            StringBuilder row = new StringBuilder("| " + r.name + " |");
            for (int f = 0; f < PACED_FRACTIONS.length; f++) {
                row.append(String.format(Locale.ROOT, " %,d of %,d (%.2f %%) |", r.pacedLost[f], r.pacedSent[f],
                        100.0 * r.pacedLost[f] / r.pacedSent[f]));
            }
            System.out.println(row);
        }
    }
}
