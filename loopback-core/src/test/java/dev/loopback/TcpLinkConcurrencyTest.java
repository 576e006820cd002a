package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.internal.engine.EventLoops;
import dev.loopback.testing.tcp.Clients;
import dev.loopback.testing.tcp.Payloads;
import dev.loopback.testing.tcp.TestServer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

class TcpLinkConcurrencyTest {

    private static final int CONNECTIONS = 1000;
    private static final int MAX_PAYLOAD = 16 * 1024;

    // The 1,000-connection tests hold ~4,000 file descriptors each; one at a time keeps the fork's budget.
    @Test
    @ResourceLock("loopback-thousand-connections")
    void thousandConcurrentConnectionsCarryRandomPayloadsBothWaysIntact() throws Exception {
        thousandConnections(link -> {});
    }

    @Test
    @ResourceLock("loopback-thousand-connections")
    void thousandConcurrentConnectionsStayIntactUnderLatencyBandwidthAndSlice() throws Exception {
        thousandConnections(link -> {
            link.inject(Fault.latency(Duration.ofMillis(5)).jitter(Duration.ofMillis(2)));
            link.inject(Fault.bandwidth(2_000_000));
            link.inject(Fault.slice(4096, 1024, Duration.ofMillis(1)));
        });
    }

    private interface Setup {
        void apply(TcpLink link);
    }

    private static void thousandConnections(Setup setup) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.start(space, "server", 32,
                TcpLinkConcurrencyTest::serveOne)) {
            TcpLink link = space.link(server.endpoint());
            setup.apply(link);
            SplittableRandom random = new SplittableRandom(space.seed());
            List<Socket> sockets = new ArrayList<>();
            List<byte[]> requests = new ArrayList<>();
            List<long[]> responses = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    sockets.add(Clients.connect(link));
                    requests.add(Payloads.random(random.nextLong(), random.nextInt(MAX_PAYLOAD + 1)));
                    responses.add(new long[] {random.nextLong(), random.nextInt(MAX_PAYLOAD + 1)});
                }
                assertThat(engineThreads()).as("engine threads with 1,000 open connections").isBetween(1L, 4L);
                // Every request fits into socket and link buffers, so writing all before reading cannot deadlock.
                List<Future<?>> writes = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    int c = i;
                    writes.add(clients.submit(() -> {
                        DataOutputStream out = new DataOutputStream(sockets.get(c).getOutputStream());
                        out.writeInt(requests.get(c).length);
                        out.writeInt((int) responses.get(c)[1]);
                        out.writeLong(responses.get(c)[0]);
                        out.write(requests.get(c));
                        out.flush();
                        return null;
                    }));
                }
                for (Future<?> f : writes) {
                    f.get(60, TimeUnit.SECONDS);
                }
                List<Future<?>> reads = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    int c = i;
                    reads.add(clients.submit(() -> {
                        DataInputStream in = new DataInputStream(sockets.get(c).getInputStream());
                        byte[] sha = new byte[32];
                        in.readFully(sha);
                        assertThat(HexFormat.of().formatHex(sha)).as("server's digest of request %d", c)
                                .isEqualTo(Payloads.sha256(requests.get(c)));
                        byte[] expected = Payloads.random(responses.get(c)[0], (int) responses.get(c)[1]);
                        long[] count = new long[1];
                        assertThat(Payloads.sha256(in, count)).as("response %d", c).isEqualTo(Payloads.sha256(expected));
                        assertThat(count[0]).isEqualTo(expected.length);
                        return null;
                    }));
                }
                for (Future<?> f : reads) {
                    try {
                        f.get(60, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new AssertionError("link events: " + link.events().stream()
                                .filter(ev -> ev.type() == LinkEvent.Type.RST_SENT || ev.type() == LinkEvent.Type.UPSTREAM_FAILED)
                                .limit(20).toList() + " server failures: " + server.failures(), e);
                    }
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            assertThat(server.failures()).isEmpty();
            assertThat(link.stats().accepted()).isEqualTo(CONNECTIONS);
        } finally {
            clients.shutdownNow();
        }
    }

    private static void serveOne(Socket s) throws Exception {
        DataInputStream in = new DataInputStream(s.getInputStream());
        int requestLength = in.readInt();
        int responseLength = in.readInt();
        long responseSeed = in.readLong();
        byte[] request = new byte[requestLength];
        in.readFully(request);
        OutputStream out = s.getOutputStream();
        out.write(Payloads.digest().digest(request));
        out.write(Payloads.random(responseSeed, responseLength));
        s.shutdownOutput();
    }

    private static long engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(EventLoops.THREAD_PREFIX)).count();
    }

    @Test
    void faultsChangedThousandTimesWhileSixteenConnectionsStreamLoseAndDuplicateNothing() throws Exception {
        int streams = 16;
        ExecutorService pool = Executors.newFixedThreadPool(2 * streams);
        AtomicBoolean stop = new AtomicBoolean();
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, streams)) {
            TcpLink link = space.link(server.endpoint());
            List<Future<String[]>> results = new ArrayList<>();
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                Socket s = Clients.connect(link);
                sockets.add(s);
                long seed = i;
                Future<String> sent = pool.submit(() -> {
                    MessageDigest d = Payloads.digest();
                    SplittableRandom r = new SplittableRandom(seed);
                    OutputStream out = s.getOutputStream();
                    while (!stop.get()) {
                        byte[] b = new byte[1 + r.nextInt(8192)];
                        r.nextBytes(b);
                        out.write(b);
                        d.update(b);
                    }
                    s.shutdownOutput();
                    return HexFormat.of().formatHex(d.digest());
                });
                Future<String> received = pool.submit(() -> {
                    InputStream in = s.getInputStream();
                    long[] n = new long[1];
                    return Payloads.sha256(in, n);
                });
                results.add(pool.submit(() -> new String[] {sent.get(), received.get()}));
            }
            List<TcpFault> faults = List.of(
                    Fault.latency(Duration.ofMillis(1)),
                    Fault.latency(Duration.ofMillis(2)).jitter(Duration.ofMillis(2)).toClient(),
                    Fault.bandwidth(20_000_000),
                    Fault.bandwidth(50_000_000).shared(),
                    Fault.slice(2048, 512, Duration.ZERO),
                    Fault.loss(0.05).stall(Duration.ofMillis(1)),
                    Fault.freeze().toServer(),
                    Fault.slowClose(Duration.ofMillis(1)));
            SplittableRandom r = new SplittableRandom(space.seed());
            List<FaultHandle> handles = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                handles.add(link.inject(faults.get(r.nextInt(faults.size()))));
                if (handles.size() > 3 || r.nextBoolean()) {
                    handles.remove(r.nextInt(handles.size())).remove();
                }
                if (i % 100 == 99) {
                    link.partition();
                    link.heal();
                }
            }
            link.clear();
            stop.set(true);
            for (Future<String[]> f : results) {
                String[] digests = f.get(60, TimeUnit.SECONDS);
                assertThat(digests[1]).as("bytes echoed back, each once and in order").isEqualTo(digests[0]);
            }
            for (Socket s : sockets) {
                s.close();
            }
            assertThat(link.stats().bytesToServer()).isEqualTo(link.stats().bytesToClient()).isPositive();
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }
}
