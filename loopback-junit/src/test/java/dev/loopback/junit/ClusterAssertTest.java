package dev.loopback.junit;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.Cluster;
import dev.loopback.LoopbackSpace;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ClusterAssert: which pairs are cut, said with the cut pairs and the last operation. */
class ClusterAssertTest {

    @Test
    void hasPartitionedAndIsHealedFollowTheNemesisAndNameWhatIsCut() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            Cluster cluster = space.cluster(List.of("n1", "n2", "n3"), 7000);
            assertThat(cluster).isHealed();
            assertThatThrownBy(() -> assertThat(cluster).hasPartitioned("n1", "n2")).isInstanceOf(AssertionError.class)
                    .hasMessage("Expecting n1 and n2 to be partitioned, but no path between them is cut; cut pairs: []"
                            + " (no nemesis operation yet)");

            cluster.isolate("n3");

            assertThat(cluster).hasPartitioned("n1", "n3").hasPartitioned("n3", "n2");
            assertThatThrownBy(() -> assertThat(cluster).isHealed()).isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Expecting [n1, n2, n3] to be healed, but these pairs are cut: [n1|n3, n2|n3]"
                            + " (last operation: ")
                    .hasMessageEndingWith(" isolate n3)");
            cluster.heal();
            assertThat(cluster).isHealed();
        }
    }
}
