package dev.loopback.junit.assertj;

import dev.loopback.Cluster;
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
