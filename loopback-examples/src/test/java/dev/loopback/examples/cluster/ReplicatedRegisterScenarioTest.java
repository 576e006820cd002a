package dev.loopback.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Cluster;
import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.Nemesis;
import dev.loopback.Nemesis.Op;
import dev.loopback.examples.cluster.RegisterNode.Version;
import dev.loopback.junit.LoopbackAssertions;
import dev.loopback.junit.LoopbackCluster;
import dev.loopback.junit.LoopbackTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@LoopbackTest
@DisplayName("Clusters: a replicated register keeps one leader per term and every acknowledged write")
class ReplicatedRegisterScenarioTest {

    private static final int PORT = 7000;

    /** Five register nodes, each given the cluster's path to every peer, and what the test saw them do. */
    static final class Register implements AutoCloseable {
        record Ack(Version version, String value) {}

        final Map<String, RegisterNode> nodes = new LinkedHashMap<>();
        final Map<Long, Set<String>> leaders = new TreeMap<>();
        final List<Ack> acked = new ArrayList<>();

        Register(LoopbackSpace space, Cluster cluster) {
            for (String node : cluster.nodes()) {
                Map<String, Endpoint> peers = new LinkedHashMap<>();
                for (String peer : cluster.nodes()) {
                    if (!peer.equals(node)) {
                        peers.put(peer, cluster.path(node, peer, PORT)); // this node's own address for each peer
                    }
                }
                nodes.put(node, new RegisterNode(node, space.bind(node, PORT), peers)); // serves on its own host
            }
        }

        boolean campaign(String node) {
            long term = nodes.get(node).campaign();
            if (term > 0) {
                leaders.computeIfAbsent(term, t -> new TreeSet<>()).add(node);
            }
            return term > 0;
        }

        boolean write(String node, String value) {
            Version version = nodes.get(node).write(value);
            if (version != null) {
                acked.add(new Ack(version, value));
            }
            return version != null;
        }

        /** On a healed cluster: elects a leader and checks one leader per term and that no acknowledged write was lost. */
        String checkHealed() {
            RegisterNode winner = null;
            for (int round = 0; round < 3 && winner == null; round++) { // a node behind loses, and learns the term
                for (String node : nodes.keySet()) {
                    if (campaign(node)) {
                        winner = nodes.get(node);
                        break;
                    }
                }
            }
            assertThat(winner).as("a leader is elected once the cluster is healed").isNotNull();
            leaders.forEach((term, who) -> assertThat(who).as("leaders of term %d", term).hasSize(1));
            Ack last = acked.stream().max(Comparator.comparing(Ack::version)).orElseThrow();
            assertThat(winner.version()).as("the new leader %s holds the last acknowledged write %s", winner.name(), last)
                    .isGreaterThanOrEqualTo(last.version());
            if (winner.version().equals(last.version())) {
                assertThat(winner.value()).isEqualTo(last.value());
            }
            return leaders.size() + " terms with one leader each, " + acked.size() + " acknowledged writes, none lost;"
                    + " final leader " + winner.name() + " holds " + winner.value() + " " + winner.version();
        }

        @Override
        public void close() throws IOException {
            for (RegisterNode node : nodes.values()) {
                node.close();
            }
        }
    }

    @Test
    @DisplayName("isolate(leader): the old leader cannot commit, a new one is elected, its writes survive heal")
    void isolatedLeaderLosesItsMajority(LoopbackSpace space,
            @LoopbackCluster(value = {"n1", "n2", "n3", "n4", "n5"}, ports = PORT) Cluster cluster,
            TestReporter reporter) throws Exception {
        try (Register register = new Register(space, cluster)) {
            assertThat(register.campaign("n1")).isTrue();
            assertThat(register.write("n1", "a")).isTrue();
            LoopbackAssertions.assertThat(cluster).hasNoBypass(); // the nodes' connections are open now: all through the paths

            cluster.isolate("n1");
            assertThat(register.write("n1", "b")).as("an isolated leader reaches no majority").isFalse();
            assertThat(register.campaign("n2")).as("the majority elects a new leader").isTrue();
            assertThat(register.write("n2", "c")).isTrue();

            cluster.heal();
            assertThat(register.write("n1", "d")).as("the old leader learns the new term and steps down").isFalse();
            reporter.publishEntry("observed", register.checkHealed());
        }
    }

    @Test
    @DisplayName("majoritiesRing(): every node sees a majority, several leaders in turn, one per term")
    void majoritiesRingElectsOneLeaderPerTerm(LoopbackSpace space,
            @LoopbackCluster(value = {"n1", "n2", "n3", "n4", "n5"}, ports = PORT) Cluster cluster,
            TestReporter reporter) throws Exception {
        try (Register register = new Register(space, cluster)) {
            cluster.majoritiesRing();
            int won = 0;
            for (String node : cluster.nodes()) {
                if (register.campaign(node)) {
                    won++;
                    register.write(node, "from-" + node);
                }
            }
            assertThat(won).as("under the ring some node wins, since each sees a majority").isPositive();
            reporter.publishEntry("observed", cluster.journal().get(0).operation() + ": " + won + " of 5 campaigns won, "
                    + register.acked.size() + " writes acknowledged");
            cluster.heal();
            reporter.publishEntry("observed", register.checkHealed());
        }
    }

    @Test
    @DisplayName("a seeded nemesis (isolate, ring, bridge, halves, crash, heal) while nodes elect and write")
    void seededNemesisKeepsTheRegisterSafe(LoopbackSpace space,
            @LoopbackCluster(value = {"n1", "n2", "n3", "n4", "n5"}, ports = PORT) Cluster cluster,
            TestReporter reporter) throws Exception {
        try (Register register = new Register(space, cluster)) {
            assertThat(register.campaign("n1")).isTrue();
            assertThat(register.write("n1", "w0")).isTrue();
            Nemesis nemesis = cluster.nemesis().every(Duration.ofMillis(250))
                    .randomOps(Op.isolateAny(), Op.majoritiesRing(), Op.bridge(), Op.randomHalves(), Op.crashAny(),
                            Op.heal())
                    .limit(12).start();
            SplittableRandom draw = new SplittableRandom(space.seed());
            for (int i = 1; !nemesis.isDone(); i++) {
                String node = cluster.nodes().get(draw.nextInt(cluster.nodes().size()));
                if (!register.write(node, "w" + i)) {
                    register.campaign(node);
                }
            }
            cluster.heal();
            cluster.crashed().forEach(cluster::restore);
            reporter.publishEntry("observed", nemesis.steps().size() + " nemesis steps, from "
                    + nemesis.steps().get(0).operation() + " to " + nemesis.steps().get(11).operation());
            reporter.publishEntry("observed", register.checkHealed());
        }
    }
}
