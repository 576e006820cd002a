package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.internal.lease.PrivatePools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Many spaces at once: leases stay exclusive, and every space has every port to itself. */
class ParallelSpacesTest {

    private record Held(InetAddress host, LoopbackSpace space, long acquired, long released) {}

    @Test
    void noHostIsEverHeldByTwoLiveSpaces() throws Exception {
        // A pool of 64 for 16 threads holding up to 3 hosts each: hosts pass between spaces all the time.
        String pool = PrivatePools.random(26);
        AtomicLong clock = new AtomicLong();
        ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
        List<Callable<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int hostsPerSpace = 1 + t % 3;
            workers.add(() -> {
                for (int s = 0; s < 200; s++) {
                    try (LoopbackSpace space = LoopbackSpace.builder().pool(pool).open()) {
                        List<InetAddress> hosts = new ArrayList<>();
                        List<Long> acquired = new ArrayList<>();
                        for (int h = 0; h < hostsPerSpace; h++) {
                            hosts.add(space.endpoint("h" + h).address());
                            acquired.add(clock.incrementAndGet());
                        }
                        long released = clock.incrementAndGet();
                        for (int h = 0; h < hostsPerSpace; h++) {
                            held.add(new Held(hosts.get(h), space, acquired.get(h), released));
                        }
                    }
                }
                return null;
            });
        }
        runAll(workers);

        Map<InetAddress, List<Held>> byHost = new HashMap<>();
        held.forEach(h -> byHost.computeIfAbsent(h.host(), k -> new ArrayList<>()).add(h));
        List<String> overlaps = new ArrayList<>();
        int handovers = 0;
        for (List<Held> spans : byHost.values()) {
            spans.sort(Comparator.comparingLong(Held::acquired));
            for (int i = 1; i < spans.size(); i++) {
                if (spans.get(i).acquired() <= spans.get(i - 1).released()) {
                    overlaps.add(spans.get(i - 1) + " overlaps " + spans.get(i));
                }
                handovers++;
            }
        }
        assertThat(held).hasSize(200 * (6 * 1 + 5 * 2 + 5 * 3));
        assertThat(overlaps).as("hosts held by two live spaces at once").isEmpty();
        assertThat(byHost).as("every host of the pool was used").hasSize(64);
        assertThat(handovers).isGreaterThan(1000);
    }

    @Test
    void thirtyTwoSpacesEachServeARequestOnPort8080() throws Exception {
        int spaces = 32;
        CountDownLatch allListening = new CountDownLatch(spaces);
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < spaces; i++) {
            String name = "service-" + i;
            boolean preBound = i % 2 == 0; // half take a bound listener, half an endpoint to bind themselves
            tasks.add(() -> {
                try (LoopbackSpace space = LoopbackSpace.open()) {
                    ServerSocket server = preBound ? space.bind("web", 8080).socket() : new ServerSocket();
                    if (!preBound) {
                        server.bind(space.endpoint("web", 8080).socketAddress());
                    }
                    try (server) {
                        Endpoint endpoint = Endpoint.of((InetSocketAddress) server.getLocalSocketAddress());
                        assertThat(endpoint.port()).isEqualTo(8080);
                        allListening.countDown();
                        // All 32 servers listen on port 8080 at the same time before any is asked.
                        assertThat(allListening.await(60, TimeUnit.SECONDS)).isTrue();
                        try (Socket client = new Socket()) {
                            client.connect(endpoint.socketAddress(), 10_000);
                            client.setSoTimeout(10_000);
                            client.getOutputStream().write(("GET /hello HTTP/1.0\r\nHost: " + endpoint.hostPort()
                                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            serveOne(server, name);
                            String response = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                            assertThat(response).startsWith("HTTP/1.0 200 OK\r\n");
                            return response.substring(response.indexOf("\r\n\r\n") + 4);
                        }
                    }
                }
            });
        }
        List<String> answers = runAll(tasks);

        Set<String> expected = new HashSet<>();
        for (int i = 0; i < spaces; i++) {
            expected.add("service-" + i);
        }
        assertThat(answers).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Answers one HTTP/1.0 request with {@code body}. */
    private static void serveOne(ServerSocket server, String body) throws IOException {
        try (Socket exchange = server.accept()) {
            exchange.setSoTimeout(10_000);
            BufferedReader request = new BufferedReader(
                    new InputStreamReader(exchange.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(request.readLine()).isEqualTo("GET /hello HTTP/1.0");
            for (String header = request.readLine(); header != null && !header.isEmpty(); header = request.readLine()) {
                // headers are not needed
            }
            exchange.getOutputStream().write(("HTTP/1.0 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = executor.invokeAll(tasks, 90, TimeUnit.SECONDS);
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
