package dev.loopback;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.testing.tcp.Payloads;
import dev.loopback.testing.tcp.TestServer;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Partition modes on TCP links: hold (the default), drop with its give-up time, and one-way partitions; a
 * hold with a full window across a latency; a client's reset behind a partition.
 */
class TcpLinkPartitionTest {

    private static final Duration GIVE_UP = Duration.ofMillis(300);

    @Test
    void dropPartitionResetsBothSidesOnceItHasLastedTheGiveUpTime() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            try (Socket client = connect(link)) {
                client.getOutputStream().write(1);
                assertThat(client.getInputStream().read()).isEqualTo(1);
                long start = System.nanoTime();
                link.partition(Partition.drop().giveUpAfter(GIVE_UP));
                assertThatThrownBy(() -> client.getInputStream().read())
                        .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before the give-up time")
                        .isGreaterThanOrEqualTo(GIVE_UP);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.failures())
                    .as("the server is reset too").anySatisfy(e -> assertThat(e).hasMessageContaining("Connection reset")));
            assertThat(link.stats().resets()).isEqualTo(1);
        }
    }

    @Test
    void dropPartitionHealedBeforeTheGiveUpTimeDeliversWhatWaited() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            try (Socket client = connect(link)) {
                link.partition(Partition.drop().giveUpAfter(Duration.ofSeconds(30)));
                client.getOutputStream().write(7);
                client.setSoTimeout(300);
                assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                link.heal();
                client.setSoTimeout(10_000);
                assertThat(client.getInputStream().read()).as("retransmitted after heal").isEqualTo(7);
            }
        }
    }

    @Test
    void connectionAcceptedDuringADropPartitionIsResetAndNeverDialled() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            link.partition(Partition.drop().giveUpAfter(GIVE_UP));
            try (Socket client = connect(link)) {
                client.getOutputStream().write(1);
                assertThatThrownBy(() -> client.getInputStream().read())
                        .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
            }
            link.heal();
            try (Socket after = connect(link)) {
                after.getOutputStream().write(2);
                assertThat(after.getInputStream().read()).isEqualTo(2);
            }
            assertThat(server.accepted()).as("only the connection made after heal reached the server").isEqualTo(1);
        }
    }

    @Test
    void oneWayPartitionToServerHoldsWhatTheClientSendsAndLetsTheServerSpeak() throws Exception {
        CountDownLatch speak = new CountDownLatch(1);
        LinkedBlockingQueue<Integer> heard = new LinkedBlockingQueue<>();
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    s.getOutputStream().write('a');
                    speak.await();
                    s.getOutputStream().write('b');
                    heard.add(s.getInputStream().read());
                })) {
            TcpLink link = space.link(server.endpoint());
            try (Socket client = connect(link)) {
                InputStream in = client.getInputStream();
                assertThat(in.read()).isEqualTo('a');
                link.partition(Partition.hold().only(Direction.TO_SERVER));
                client.getOutputStream().write('q');
                speak.countDown();
                assertThat(in.read()).as("the server's bytes still reach the client").isEqualTo('b');
                assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).as("the client's bytes are held").isNull();
                link.heal();
                assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo((int) 'q');
            }
        }
    }

    @Test
    void clientResetBehindAHoldPartitionReachesTheServerOnlyWhenItSendsAfterHeal() throws Exception {
        CountDownLatch speak = new CountDownLatch(1);
        LinkedBlockingQueue<String> server = new LinkedBlockingQueue<>();
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer upstream = TestServer.start(space, "server", 1, s -> {
                    InputStream in = s.getInputStream();
                    in.read();
                    s.getOutputStream().write('b');
                    s.setSoTimeout(1_000);
                    server.add(observe(in));
                    speak.await();
                    s.getOutputStream().write('c');
                    s.setSoTimeout(10_000);
                    server.add(observe(in));
                })) {
            TcpLink link = space.link(upstream.endpoint());
            try (Socket client = connect(link)) {
                client.getOutputStream().write('a');
                assertThat(client.getInputStream().read()).isEqualTo('b');
                link.partition();
                client.getOutputStream().write('x');
                client.setSoLinger(true, 0);
                client.close(); // RST
                assertThat(server.poll(10, TimeUnit.SECONDS)).as("the RST is lost in the partition, and 'x' with it")
                        .isEqualTo("read timed out");
                link.heal();
                assertThat(server.poll(300, TimeUnit.MILLISECONDS)).as("a silent server is not told at heal").isNull();
                speak.countDown();
                assertThat(server.poll(10, TimeUnit.SECONDS)).as("its first send after the heal meets the RST")
                        .contains("Connection reset");
            }
            assertThat(link.events()).filteredOn(e -> e.type() == LinkEvent.Type.RST_SENT).singleElement()
                    .satisfies(e -> assertThat(e.detail()).startsWith("to upstream: client").contains("behind a partition"));
        }
    }

    @Test
    void serverThatSentToAClientResetBehindAPartitionIsResetAtHeal() throws Exception {
        LinkedBlockingQueue<String> server = new LinkedBlockingQueue<>();
        CountDownLatch clientGone = new CountDownLatch(1);
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer upstream = TestServer.start(space, "server", 1, s -> {
                    InputStream in = s.getInputStream();
                    in.read();
                    clientGone.await();
                    s.getOutputStream().write('c'); // during the partition: retransmitted after it
                    s.setSoTimeout(10_000);
                    server.add(observe(in));
                })) {
            TcpLink link = space.link(upstream.endpoint());
            try (Socket client = connect(link)) {
                client.getOutputStream().write('a');
                await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().bytesToServer() == 1);
                link.partition();
                client.setSoLinger(true, 0);
                client.close();
                clientGone.countDown();
                assertThat(server.poll(500, TimeUnit.MILLISECONDS)).as("not told during the partition").isNull();
                link.heal();
                assertThat(server.poll(10, TimeUnit.SECONDS)).contains("Connection reset");
            }
        }
    }

    @Test
    void downloadHeldByAPartitionWhileItsWindowIsFullDeliversEveryByteAfterHeal() throws Exception {
        byte[] payload = Payloads.random(11, 24 << 20);
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    s.getInputStream().read();
                    s.getOutputStream().write(payload);
                    s.shutdownOutput();
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.latency(Duration.ofMillis(50)));
            try (Socket client = connect(link)) {
                client.getOutputStream().write(1);
                InputStream in = client.getInputStream();
                MessageDigest digest = Payloads.digest();
                byte[] b = new byte[64 * 1024];
                long received = 0;
                while (received < 2 << 20) { // the window is full from the first round trip on
                    int n = in.read(b);
                    digest.update(b, 0, n);
                    received += n;
                }
                link.partition();
                client.setSoTimeout(500);
                try {
                    for (int n; (n = in.read(b)) > 0; ) { // what the kernels had buffered before the partition
                        digest.update(b, 0, n);
                        received += n;
                    }
                    throw new AssertionError("the download ended during the partition");
                } catch (SocketTimeoutException held) {
                    assertThat(received).as("held mid-transfer").isLessThan(payload.length);
                }
                link.heal();
                client.setSoTimeout(10_000);
                for (int n; (n = in.read(b)) > 0; ) {
                    digest.update(b, 0, n);
                    received += n;
                }
                assertThat(received).isEqualTo(payload.length);
                assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(Payloads.sha256(payload));
            }
        }
    }

    @Test
    void uploadHeldByAPartitionWhileItsWindowIsFullDeliversEveryByteAfterHeal() throws Exception {
        byte[] payload = Payloads.random(12, 24 << 20);
        LinkedBlockingQueue<String> uploaded = new LinkedBlockingQueue<>();
        try (LoopbackSpace space = LoopbackSpace.open();
                TestServer server = TestServer.start(space, "server", 1, s -> {
                    long[] count = new long[1];
                    String sha = Payloads.sha256(s.getInputStream(), count);
                    uploaded.add(count[0] + " bytes, sha256 " + sha);
                })) {
            TcpLink link = space.link(server.endpoint());
            link.inject(Fault.latency(Duration.ofMillis(50)));
            try (Socket client = connect(link)) {
                CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                    try {
                        client.getOutputStream().write(payload);
                        client.shutdownOutput();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().bytesToServer() >= 2 << 20);
                link.partition();
                assertThat(uploaded.poll(500, TimeUnit.MILLISECONDS)).as("the upload is held").isNull();
                link.heal();
                assertThat(uploaded.poll(10, TimeUnit.SECONDS))
                        .isEqualTo(payload.length + " bytes, sha256 " + Payloads.sha256(payload));
                upload.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** What a server's read observes: a byte, the end of the stream, a timeout or an exception. */
    private static String observe(InputStream in) {
        try {
            int b = in.read();
            return b < 0 ? "EOF" : "read " + (char) b;
        } catch (SocketTimeoutException e) {
            return "read timed out";
        } catch (java.io.IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Test
    void partitioningAnewSwitchesTheModeAndJournalsIt() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 1)) {
            TcpLink link = space.link(server.endpoint());
            try (Socket client = connect(link)) {
                link.partition();
                link.partition(Partition.hold());
                client.getOutputStream().write(1);
                link.partition(Partition.drop().giveUpAfter(GIVE_UP));
                assertThatThrownBy(() -> client.getInputStream().read())
                        .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
            }
            assertThat(link.events()).filteredOn(e -> e.type() == LinkEvent.Type.PARTITIONED)
                    .extracting(LinkEvent::detail)
                    .satisfiesExactly(d -> assertThat(d).startsWith("hold()"), d -> assertThat(d).startsWith("drop().giveUpAfter(300ms)"));
        }
    }
}
