package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.testing.tcp.EchoCluster;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** A cluster's paths per ordered pair, and the nemesis operations on live connections. */
class ClusterTest {

    private static final int PORT = EchoCluster.PORT;

    @AutoClose
    private final EchoCluster echo = new EchoCluster();
    private final LoopbackSpace space = echo.space();
    private final Cluster cluster = echo.cluster();

    @Test
    void eachOrderedPairReachesItsPeerThroughItsOwnLink() throws Exception {
        try (Socket n1ToN2 = dial("n1", "n2"); Socket n2ToN1 = dial("n2", "n1")) {
            assertThat(echo(n1ToN2, "a->b")).isEqualTo("a->b");
            assertThat(echo(n2ToN1, "b->a")).isEqualTo("b->a");
        }
        assertThat(cluster.link("n1", "n2", PORT).stats().bytesToServer()).isEqualTo(4);
        assertThat(cluster.link("n2", "n1", PORT).stats().bytesToServer()).isEqualTo(4);
        assertThat(cluster.link("n1", "n3", PORT).stats().bytesToServer()).as("a path nobody used").isZero();
        assertThat(cluster.endpoint("n2", PORT).address()).isEqualTo(space.host("n2"));
    }

    @Test
    void partitionHoldsLiveConnectionsBetweenGroupsAndKeepsEachGroupConnected() throws Exception {
        try (Socket across = dial("n1", "n2"); Socket within = dial("n2", "n3")) {
            assertThat(echo(across, "warm")).isEqualTo("warm");

            cluster.partition(List.of("n1"), List.of("n2", "n3"));

            across.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
            across.setSoTimeout(300);
            assertThatThrownBy(() -> across.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(echo(within, "same side")).isEqualTo("same side");
            assertThat(cluster.isPartitioned("n1", "n2")).isTrue();
            assertThat(cluster.isPartitioned("n2", "n3")).isFalse();

            cluster.heal();

            across.setSoTimeout(10_000);
            assertThat(new String(across.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                    .as("held bytes arrive once, in order, after heal").isEqualTo("held");
        }
    }

    @Test
    void oneWayPartitionStopsWhatTheSenderSendsAndLetsTheOtherWayThrough() throws Exception {
        try (Socket n1ToN2 = dial("n1", "n2"); Socket n2ToN1 = dial("n2", "n1")) {
            assertThat(echo(n2ToN1, "warm")).isEqualTo("warm");
            cluster.partitionOneWay("n2", "n1");

            n1ToN2.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            n1ToN2.setSoTimeout(300);
            assertThatThrownBy(() -> n1ToN2.getInputStream().read()).as("n2's echo to n1 is cut")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(cluster.link("n1", "n2", PORT).stats().bytesToServer()).as("n1's bytes reached n2").isEqualTo(4);
            n2ToN1.getOutputStream().write("lost".getBytes(StandardCharsets.US_ASCII));
            n2ToN1.setSoTimeout(300);
            assertThatThrownBy(() -> n2ToN1.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(cluster.link("n2", "n1", PORT).stats().bytesToServer()).as("n2's bytes held").isEqualTo(4);

            cluster.heal();
            n1ToN2.setSoTimeout(10_000);
            assertThat(new String(n1ToN2.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
        }
        assertThat(cluster.journal()).extracting(Cluster.Step::operation).startsWith("partitionOneWay n2 -/-> n1");
    }

    @Test
    void dropCutsResetLiveConnectionsAfterTheirGiveUpTime() throws Exception {
        try (Socket n1ToN2 = dial("n1", "n2")) {
            cluster.cutWith(Partition.drop().giveUpAfter(Duration.ofMillis(200)));
            cluster.isolate("n2");
            n1ToN2.getOutputStream().write(1);
            assertThatThrownBy(() -> n1ToN2.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset");
        }
        assertThatThrownBy(() -> cluster.cutWith(Partition.hold().only(Direction.TO_SERVER)))
                .hasMessageContaining("a cluster's cuts are both ways");
    }

    @Test
    void isolateCutsOneNodeBothWaysAndANewPartitionReplacesTheOld() throws Exception {
        cluster.isolate("n3");
        assertThat(cluster.isPartitioned("n3", "n1")).isTrue();
        assertThat(cluster.isPartitioned("n2", "n3")).isTrue();
        assertThat(cluster.isPartitioned("n1", "n2")).isFalse();

        cluster.partition(Set.of("n1"), Set.of("n2", "n3"));
        assertThat(cluster.isPartitioned("n2", "n3")).as("healed by the new shape").isFalse();
        assertThat(cluster.isPartitioned("n1", "n3")).isTrue();
        try (Socket n2ToN3 = dial("n2", "n3")) {
            assertThat(echo(n2ToN3, "reunited")).isEqualTo("reunited");
        }
    }

    @Test
    void journalRecordsEachOperationWithTheTimeItTookEffect() {
        Instant before = Instant.now();
        cluster.isolate("n1");
        cluster.partition(List.of("n1", "n2"), List.of("n3"));
        cluster.heal();

        assertThat(cluster.journal()).extracting(Cluster.Step::operation)
                .containsExactly("isolate n1", "partition [[n1, n2], [n3]]", "heal");
        assertThat(cluster.journal()).allSatisfy(step -> assertThat(step.at()).isAfterOrEqualTo(before));
    }

    @Test
    void seededShapesGiveTheSameCutsForTheSameSeedAndEveryNodeInARingSeesAMajority() {
        List<String> five = List.of("a", "b", "c", "d", "e");
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (LoopbackSpace seeded = LoopbackSpace.builder().seed(42).open();
                    Cluster ring = seeded.cluster(five, PORT)) {
                ring.majoritiesRing();
                for (String node : five) {
                    long seen = five.stream().filter(other -> other.equals(node) || !ring.isPartitioned(node, other)).count();
                    assertThat(seen).as("nodes %s sees, itself included", node).isEqualTo(3);
                }
                ring.bridge();
                long bridges = five.stream()
                        .filter(node -> five.stream().noneMatch(other -> ring.isPartitioned(node, other))).count();
                assertThat(bridges).as("exactly one node sees everyone").isEqualTo(1);
                ring.randomHalves();
                runs.add(ring.journal().stream().map(Cluster.Step::operation).toList());
            }
        }
        assertThat(runs.get(0)).hasSize(3).isEqualTo(runs.get(1));
    }

    @Test
    void injectOnAPairActsOnThatDirectionOfConnectionOnly() throws Exception {
        try (Socket n1ToN2 = dial("n1", "n2"); Socket n2ToN1 = dial("n2", "n1")) {
            FaultHandle freeze = cluster.inject("n1", "n2", Fault.freeze());
            n1ToN2.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
            n1ToN2.setSoTimeout(300);
            assertThatThrownBy(() -> n1ToN2.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(echo(n2ToN1, "free")).isEqualTo("free");

            freeze.remove();
            n1ToN2.setSoTimeout(10_000);
            assertThat(new String(n1ToN2.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("held");
        }
        assertThat(cluster.journal()).extracting(Cluster.Step::operation)
                .containsExactly("inject " + Fault.freeze() + " on n1->n2", "remove " + Fault.freeze() + " on n1->n2");
    }

    @Test
    void crashResetsEveryConnectionOfTheNodeAndRefusesNewOnesUntilRestore() throws Exception {
        try (Socket toCrashed = dial("n1", "n2"); Socket fromCrashed = dial("n2", "n3"); Socket bystander = dial("n1", "n3")) {
            assertThat(echo(toCrashed, "warm")).isEqualTo("warm");
            assertThat(echo(fromCrashed, "warm")).isEqualTo("warm");

            cluster.crash("n2");

            assertThatThrownBy(() -> echo(toCrashed, "gone")).isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset");
            assertThatThrownBy(() -> echo(fromCrashed, "gone")).isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset");
            assertThatThrownBy(() -> dial("n3", "n2")).isInstanceOf(ConnectException.class)
                    .hasMessageContaining("Connection refused");
            assertThatThrownBy(() -> dial("n2", "n1")).isInstanceOf(ConnectException.class)
                    .hasMessageContaining("Connection refused");
            assertThat(echo(bystander, "still up")).isEqualTo("still up");
            assertThat(cluster.crashed()).containsExactly("n2");

            cluster.heal();
            assertThatThrownBy(() -> dial("n1", "n2")).as("heal() does not restore a crash")
                    .isInstanceOf(ConnectException.class);
            cluster.restore("n2");
        }
        try (Socket again = dial("n1", "n2")) {
            assertThat(echo(again, "back")).isEqualTo("back");
        }
        assertThat(cluster.crashed()).isEmpty();
        assertThat(cluster.journal()).extracting(Cluster.Step::operation).containsExactly("crash n2", "heal", "restore n2");
    }

    @Test
    void holdKeepsBothWaysOfAPairWaitingUntilReleaseAndHealLeavesItHeld() throws Exception {
        try (Socket n1ToN2 = dial("n1", "n2"); Socket n2ToN1 = dial("n2", "n1"); Socket n1ToN3 = dial("n1", "n3")) {
            cluster.hold("n1", "n2");
            n1ToN2.getOutputStream().write("one".getBytes(StandardCharsets.US_ASCII));
            n2ToN1.getOutputStream().write("two".getBytes(StandardCharsets.US_ASCII));
            n1ToN2.setSoTimeout(300);
            n2ToN1.setSoTimeout(300);
            assertThatThrownBy(() -> n1ToN2.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> n2ToN1.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(echo(n1ToN3, "other pair")).isEqualTo("other pair");

            cluster.heal();
            assertThatThrownBy(() -> n1ToN2.getInputStream().read()).as("heal() leaves a hold")
                    .isInstanceOf(SocketTimeoutException.class);
            cluster.release("n2", "n1");

            n1ToN2.setSoTimeout(10_000);
            n2ToN1.setSoTimeout(10_000);
            assertThat(new String(n1ToN2.getInputStream().readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("one");
            assertThat(new String(n2ToN1.getInputStream().readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("two");
        }
        assertThat(cluster.journal()).extracting(Cluster.Step::operation)
                .containsExactly("hold n1|n2", "heal", "release n2|n1");
        assertThatThrownBy(() -> cluster.hold("n1", "n1")).hasMessage("hold(n1, n1): a node has no path to itself");
    }

    @Test
    void slowAndFlakyDelayOnlyThePairsPathsAndRemoveWithTheirHandles() throws Exception {
        try (Socket n1ToN2 = dial("n1", "n2"); Socket n2ToN1 = dial("n2", "n1")) {
            FaultHandle slow = cluster.slow("n1", "n2", Duration.ofMillis(150));
            long start = System.nanoTime();
            assertThat(echo(n1ToN2, "slow")).isEqualTo("slow");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("150 ms each way")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
            slow.remove();

            FaultHandle flaky = cluster.flaky("n2", "n1", 1.0);
            start = System.nanoTime();
            assertThat(echo(n2ToN1, "lossy")).as("a lost segment stalls and arrives intact").isEqualTo("lossy");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Fault.DEFAULT_LOSS_STALL);
            flaky.remove();
            assertThat(cluster.link("n2", "n1", PORT).faults()).isEmpty();
        }
    }

    @Test
    void badInputNamesTheBadValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> cluster.isolate("n9"))
                .hasMessage("unknown node n9; the cluster's nodes are [n1, n2, n3]");
        assertThatThrownBy(() -> cluster.partition(List.of("n1", "n2"), List.of("n2", "n3")))
                .hasMessage("node n2 is in two groups of [[n1, n2], [n2, n3]]; each node belongs to exactly one");
        assertThatThrownBy(() -> cluster.partition(List.of("n1", "n2", "n3")))
                .hasMessage("a partition needs at least 2 groups; got [[n1, n2, n3]]");
        assertThatThrownBy(() -> cluster.partition(List.of("n1"), List.of("n2")))
                .hasMessage("nodes [n3] are in no group of [[n1], [n2]]; name every node of [n1, n2, n3]");
        assertThatThrownBy(() -> cluster.path("n1", "n2", 7001))
                .hasMessage("node n2 does not serve port 7001; its ports are [7000]");
        assertThatThrownBy(() -> cluster.path("n1", "n1", PORT))
                .hasMessageContaining("no path from node n1 to itself");
        assertThatThrownBy(() -> space.cluster(List.of("solo"), PORT))
                .hasMessage("a cluster needs at least 2 nodes; got [solo]");
        assertThatThrownBy(() -> cluster.majoritiesRing())
                .hasMessageContaining("majoritiesRing() needs at least 4 nodes");
        assertThat(cluster.journal()).as("refused operations are not journalled").isEmpty();

        cluster.close();
        assertThatThrownBy(() -> cluster.heal()).isInstanceOf(IllegalStateException.class)
                .hasMessage("the cluster [n1, n2, n3] is closed");
    }

    private Socket dial(String from, String to) throws IOException {
        Endpoint path = cluster.path(from, to, PORT);
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(path.address(), path.port()), 10_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String echo(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(bytes);
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII);
    }
}
