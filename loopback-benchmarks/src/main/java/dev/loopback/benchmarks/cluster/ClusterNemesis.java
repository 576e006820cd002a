package dev.loopback.benchmarks.cluster;

import dev.loopback.Cluster;
import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How soon a cluster's partition and heal take effect on live connections, and whether any byte is
 * lost or duplicated across many hold-mode cycles under load.
 *
 * <p>A 3-node cluster (6 paths: the 3 × 3 ordered pairs without a node to itself) carries 100 live
 * connections, spread round robin over the paths. Each client writes a stream of consecutive
 * 4-byte integers, 64 of them (256 B) every millisecond (one writer thread for all, 25 MB/s in
 * all); the servers (one selector thread for the three nodes) check every integer read is the next
 * one. Each cycle isolates one node ({@code isolate(n)}, hold mode: 4 of the 6
 * paths cut), waits 3 ms, heals, and waits for every cut connection's bytes to flow again, then 2
 * ms. Per cut connection and cycle:
 * <ul>
 *   <li><b>partition effect</b>: when the last byte before the cut reached the server, minus when
 *       {@code isolate()} returned (the cluster journals its step at that moment); zero or less means
 *       nothing got through after the call returned;
 *   <li><b>heal effect</b>: when the first held byte reached the server, minus when {@code heal()}
 *       returned.
 * </ul>
 * Both are measured at the receiving server thread, so they include its wake-up on a loaded
 * machine. The held bytes are already in the link when {@code heal()} returns, so the heal effect
 * does not wait for the next write. At the end every client closes and the servers compare what they read with what was
 * sent: the counts of lost, duplicated or out-of-order integers must be zero.
 *
 * <pre>java -cp benchmarks.jar dev.loopback.benchmarks.cluster.ClusterNemesis [cycles]</pre>
 */
public final class ClusterNemesis {

    private static final int PORT = 7000;
    private static final int CONNECTIONS = Integer.getInteger("connections", 100);
    private static final int INTS_PER_WRITE = 64;
    private static final long WRITE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** One client connection: its writer, and what its server saw. */
    private static final class Stream {
        final int id;
        final String from;
        final String to;
        volatile long lastRead;       // nanoTime of the server's last read with data
        volatile long firstReadAfter; // nanoTime of the first read after armed; 0 while none
        volatile boolean armed;
        volatile boolean stop;        // on stream 0: the writer stops
        long sent;                    // integers written (writer thread; read after join)
        long received;                // integers read (server thread; read after done)
        long outOfOrder;
        final CountDownLatch done = new CountDownLatch(1);

        Stream(int id, String from, String to) {
            this.id = id;
            this.from = from;
            this.to = to;
        }
    }

    private ClusterNemesis() {}

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        System.out.printf(Locale.ROOT, "ClusterNemesis: Java %s, %d cycles, load average before: %s%n",
                System.getProperty("java.version"), cycles, loadAverage());
        try (LoopbackSpace space = LoopbackSpace.open()) {
            Cluster cluster = space.cluster(List.of("n1", "n2", "n3"), PORT);
            Stream[] streams = new Stream[CONNECTIONS];
            List<String[]> pairs = new ArrayList<>();
            for (String from : cluster.nodes()) {
                for (String to : cluster.nodes()) {
                    if (!from.equals(to)) {
                        pairs.add(new String[] {from, to});
                    }
                }
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                String[] pair = pairs.get(i % pairs.size());
                streams[i] = new Stream(i, pair[0], pair[1]);
            }
            List<ServerSocketChannel> listeners = new ArrayList<>();
            for (String node : cluster.nodes()) {
                listeners.add(space.bind(node, PORT));
            }
            daemon("servers", () -> serve(listeners, streams));
            List<Socket> clients = new ArrayList<>();
            for (Stream s : streams) {
                Endpoint path = cluster.path(s.from, s.to, PORT);
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(path.address(), path.port()), 10_000);
                socket.setTcpNoDelay(true);
                clients.add(socket);
            }
            Thread writer = daemon("writer", () -> write(clients, streams));
            awaitFlowing(List.of(streams), System.nanoTime(), 10_000);

            long[] partitionEffect = new long[cycles * CONNECTIONS];
            long[] healEffect = new long[cycles * CONNECTIONS];
            long[] forwarded = new long[cycles];
            int samples = 0;
            int slowCycles = 0;
            long started = System.nanoTime();
            for (int c = 0; c < cycles; c++) {
                String isolated = cluster.nodes().get(c % 3);
                List<Stream> cut = Arrays.stream(streams).filter(s -> s.from.equals(isolated) || s.to.equals(isolated))
                        .toList();
                cluster.isolate(isolated);
                long cutAt = System.nanoTime();
                park(TimeUnit.MILLISECONDS.toNanos(3));
                cut.forEach(s -> {
                    s.firstReadAfter = 0;
                    s.armed = true;
                });
                long[] lastBefore = cut.stream().mapToLong(s -> s.lastRead).toArray();
                List<TcpLink> cutLinks = pairs.stream().filter(p -> p[0].equals(isolated) || p[1].equals(isolated))
                        .map(p -> cluster.link(p[0], p[1], PORT)).toList();
                long[] forwardedBefore = cutLinks.stream().mapToLong(l -> l.stats().bytesToServer()).toArray();
                cluster.heal();
                long healedAt = System.nanoTime();
                forwarded[c] = awaitForwarded(cutLinks, forwardedBefore, 5_000) - healedAt;
                awaitFlowing(cut, healedAt, 5_000);
                long slowest = 0;
                for (int i = 0; i < cut.size(); i++) {
                    partitionEffect[samples] = lastBefore[i] - cutAt;
                    healEffect[samples] = cut.get(i).firstReadAfter - healedAt;
                    slowest = Math.max(slowest, healEffect[samples]);
                    samples++;
                }
                if (slowest > 10_000_000) {
                    slowCycles++;
                }
                park(TimeUnit.MILLISECONDS.toNanos(2));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String loadDuring = loadAverage();

            streams[0].stop = true;
            writer.join(10_000);
            for (Socket socket : clients) {
                socket.shutdownOutput();
            }
            long lost = 0;
            long duplicated = 0;
            long outOfOrder = 0;
            long sent = 0;
            for (Stream s : streams) {
                if (!s.done.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("stream " + s.id + " did not end");
                }
                sent += s.sent;
                lost += Math.max(0, s.sent - s.received);
                duplicated += Math.max(0, s.received - s.sent);
                outOfOrder += s.outOfOrder;
            }
            for (Socket socket : clients) {
                socket.close();
            }
            for (ServerSocketChannel listener : listeners) {
                listener.close();
            }
            System.out.printf(Locale.ROOT, "%d cycles in %.1f s, %d cut connections measured (%d per cycle);"
                    + " %d cycles with a heal slower than 10 ms%n", cycles, seconds, samples, samples / cycles, slowCycles);
            print("partition effect (last byte through - isolate() returned)", Arrays.copyOf(partitionEffect, samples));
            print("heal effect (first held byte delivered - heal() returned)", Arrays.copyOf(healEffect, samples));
            print("heal, link side (every cut path's forwarded-bytes counter moved - heal() returned, per cycle)",
                    forwarded);
            System.out.printf(Locale.ROOT, "integers sent %,d (%,d bytes): lost %d, duplicated %d, out of order %d%n",
                    sent, sent * 4, lost, duplicated, outOfOrder);
            System.out.printf(Locale.ROOT, "load average at the end of the cycles: %s; after: %s%n", loadDuring,
                    loadAverage());
        }
    }

    /** The servers' side: one thread and a selector for every accepted connection of every node. */
    private static void serve(List<ServerSocketChannel> listeners, Stream[] streams) {
        try (Selector selector = Selector.open()) {
            for (ServerSocketChannel listener : listeners) {
                listener.configureBlocking(false);
                listener.register(selector, SelectionKey.OP_ACCEPT);
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        SocketChannel channel = ((ServerSocketChannel) key.channel()).accept();
                        if (channel != null) {
                            channel.configureBlocking(false);
                            channel.register(selector, SelectionKey.OP_READ, new Reader());
                        }
                    } else if (key.isReadable()) {
                        Reader reader = (Reader) key.attachment();
                        buffer.clear();
                        int n = ((SocketChannel) key.channel()).read(buffer);
                        if (n < 0) {
                            key.cancel();
                            key.channel().close();
                            streams[reader.id].done.countDown();
                        } else if (n > 0) {
                            buffer.flip();
                            reader.consume(buffer, streams, System.nanoTime());
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One server-side connection's parser: the stream id, then consecutive integers. */
    private static final class Reader {
        int id = -1;
        int partial;
        int partialBytes;
        long expected;

        void consume(ByteBuffer bytes, Stream[] streams, long now) {
            int ints = 0;
            Stream s = id < 0 ? null : streams[id];
            while (bytes.hasRemaining()) {
                partial = (partial << 8) | (bytes.get() & 0xff);
                if (++partialBytes < 4) {
                    continue;
                }
                partialBytes = 0;
                if (id < 0) {
                    id = partial;
                    s = streams[id];
                    continue;
                }
                if (partial != (int) expected) {
                    s.outOfOrder++;
                    expected = Integer.toUnsignedLong(partial);
                }
                expected++;
                ints++;
            }
            if (s != null && ints > 0) {
                s.received += ints;
                s.lastRead = now;
                if (s.armed && s.firstReadAfter == 0) {
                    s.firstReadAfter = now;
                    s.armed = false;
                }
            }
        }
    }

    /** The clients' side: one thread writes the next 256 bytes to every connection each millisecond. */
    private static void write(List<Socket> sockets, Stream[] streams) {
        byte[][] chunks = new byte[streams.length][INTS_PER_WRITE * 4];
        int[] values = new int[streams.length];
        try {
            for (int k = 0; k < streams.length; k++) {
                sockets.get(k).getOutputStream().write(new byte[] {0, 0, 0, (byte) k});
            }
            long next = System.nanoTime();
            while (!streams[0].stop) {
                for (int k = 0; k < streams.length; k++) {
                    byte[] chunk = chunks[k];
                    for (int i = 0; i < INTS_PER_WRITE; i++, values[k]++) {
                        int value = values[k];
                        chunk[4 * i] = (byte) (value >>> 24);
                        chunk[4 * i + 1] = (byte) (value >>> 16);
                        chunk[4 * i + 2] = (byte) (value >>> 8);
                        chunk[4 * i + 3] = (byte) value;
                    }
                    sockets.get(k).getOutputStream().write(chunk);
                    streams[k].sent += INTS_PER_WRITE;
                }
                next += WRITE_EVERY_NANOS;
                park(next - System.nanoTime());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until every link's bytes-to-server counter passed {@code before}; returns when (nanoTime). */
    private static long awaitForwarded(List<TcpLink> links, long[] before, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int i = 0; i < links.size(); i++) {
            while (links.get(i).stats().bytesToServer() <= before[i]) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(links.get(i).name() + " forwarded nothing within " + timeoutMillis
                            + " ms of heal()");
                }
                LockSupport.parkNanos(20_000);
            }
        }
        return System.nanoTime();
    }

    /** Waits until every stream has been read from after {@code since}. */
    private static void awaitFlowing(List<Stream> streams, long since, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Stream s : streams) {
            while (s.lastRead <= since) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("stream " + s.id + " " + s.from + "->" + s.to
                            + " did not flow again within " + timeoutMillis + " ms");
                }
                LockSupport.parkNanos(50_000);
            }
        }
    }

    private static void print(String what, long[] nanos) {
        Arrays.sort(nanos);
        long overOne = Arrays.stream(nanos).filter(n -> n > 1_000_000).count();
        long overTen = Arrays.stream(nanos).filter(n -> n > 10_000_000).count();
        System.out.printf(Locale.ROOT, "%s: p50 %s, p99 %s, p99.9 %s, max %s (min %s); %d over 1 ms, %d over 10 ms%n",
                what, micros(nanos[nanos.length / 2]), micros(nanos[(int) (nanos.length * 0.99)]),
                micros(nanos[(int) (nanos.length * 0.999)]), micros(nanos[nanos.length - 1]), micros(nanos[0]),
                overOne, overTen);
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%+,.0f µs", nanos / 1e3);
    }

    private static void park(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "(no /proc/loadavg)";
        }
    }
}
