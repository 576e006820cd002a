package dev.loopback.junit.assertj;

import dev.loopback.Cluster;
import dev.loopback.inspect.Connection;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on which pairs of a {@link Cluster}'s nodes are cut now. A pair counts as cut when any
 * path between the two, either way, is partitioned; the message lists every cut pair and the last
 * nemesis operation.
 */
public final class ClusterAssert extends AbstractAssert<ClusterAssert, Cluster> {

    /**
     * Creates the assertion; use {@code LoopbackAssertions.assertThat(cluster)}.
     *
     * @param actual the cluster to check
     */
    public ClusterAssert(Cluster actual) {
        super(actual, ClusterAssert.class);
    }

    /**
     * Verifies that nodes {@code a} and {@code b} are cut from each other (in at least one direction).
     *
     * @param a a node of the cluster
     * @param b another node of the cluster
     * @return this assertion, to chain more checks
     */
    public ClusterAssert hasPartitioned(String a, String b) {
        isNotNull();
        if (!actual.isPartitioned(a, b)) {
            failWithMessage("Expecting %s and %s to be partitioned, but no path between them is cut; cut pairs: %s%s",
                    a, b, cutPairs(), last());
        }
        return this;
    }

    /**
     * Verifies that no path between any two nodes is cut.
     *
     * @return this assertion, to chain more checks
     */
    public ClusterAssert isHealed() {
        isNotNull();
        List<String> cut = cutPairs();
        if (!cut.isEmpty()) {
            failWithMessage("Expecting %s to be healed, but these pairs are cut: %s%s", actual.nodes(), cut, last());
        }
        return this;
    }

    /**
     * Verifies that every connection open now to a node's server came through the cluster — one of
     * the node's paths or its advertised address — so that no client bypassed the faults: see
     * {@link Cluster#bypasses()}. It reads the kernel's socket tables, so it sees the connections
     * open at the call only; assert while the system under test is connected.
     *
     * @return this assertion, to chain more checks
     * @throws UnsupportedOperationException where the platform has no socket tables (only Linux has)
     */
    public ClusterAssert hasNoBypass() {
        isNotNull();
        List<Connection> bypasses = actual.bypasses();
        if (!bypasses.isEmpty()) {
            List<String> described = new ArrayList<>();
            for (Connection c : bypasses) {
                String node = actual.nodes().stream().filter(n -> actual.host(n).equals(c.local().address()))
                        .findFirst().orElse("?");
                described.add(c.remote().hostPort() + " -> " + node + " " + c.local().hostPort());
            }
            failWithMessage("Expecting every connection to the nodes of %s to go through the cluster's paths, but %s"
                    + " dialled a node's own endpoint (no fault acts on it): %s; give each node cluster.path(from, to, port)"
                    + " or cluster.advertised(to, port) for its peers", actual.nodes(),
                    bypasses.size() == 1 ? "this client" : "these clients", described);
        }
        return this;
    }

    private List<String> cutPairs() {
        List<String> nodes = actual.nodes();
        List<String> cut = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (int j = i + 1; j < nodes.size(); j++) {
                if (actual.isPartitioned(nodes.get(i), nodes.get(j))) {
                    cut.add(nodes.get(i) + "|" + nodes.get(j));
                }
            }
        }
        return cut;
    }

    private String last() {
        List<Cluster.Step> journal = actual.journal();
        return journal.isEmpty() ? " (no nemesis operation yet)" : " (last operation: " + journal.get(journal.size() - 1) + ")";
    }
}
