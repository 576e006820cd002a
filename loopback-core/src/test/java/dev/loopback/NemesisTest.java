package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.Nemesis.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A seeded schedule of nemesis operations on a cluster. */
class NemesisTest {

    private static final List<String> FIVE = List.of("a", "b", "c", "d", "e");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void theSameSeedRunsTheSameSequenceOfOperations() {
        List<List<String>> runs = new ArrayList<>();
        for (long seed : new long[] {42, 42, 43}) {
            try (LoopbackSpace space = LoopbackSpace.builder().seed(seed).open();
                    Cluster cluster = space.cluster(FIVE, 7000)) {
                Nemesis nemesis = cluster.nemesis().every(Duration.ofMillis(2))
                        .randomOps(Op.isolateAny(), Op.majoritiesRing(), Op.bridge(), Op.randomHalves(), Op.crashAny(),
                                Op.heal())
                        .limit(12).start();
                await().atMost(PATIENCE).until(nemesis::isDone);
                List<String> operations = nemesis.steps().stream().map(Cluster.Step::operation).toList();
                assertThat(operations).hasSize(12).doesNotContain("failed");
                assertThat(cluster.journal()).extracting(Cluster.Step::operation).containsSubsequence(operations);
                runs.add(operations);
            }
        }
        assertThat(runs.get(1)).as("seed 42 twice").isEqualTo(runs.get(0));
        assertThat(runs.get(2)).as("another seed draws another sequence").isNotEqualTo(runs.get(0));
    }

    @Test
    void scriptedOpsRunInOrderAndRepeatUntilTheLimit() {
        try (LoopbackSpace space = LoopbackSpace.open(); Cluster cluster = space.cluster(List.of("n1", "n2", "n3"), 7000)) {
            Nemesis nemesis = cluster.nemesis().every(Duration.ofMillis(10))
                    .ops(Op.isolate("n1"), Op.partition(List.of("n1", "n2"), List.of("n3")), Op.heal())
                    .limit(4).start();
            await().atMost(PATIENCE).until(nemesis::isDone);
            assertThat(nemesis.steps()).extracting(Cluster.Step::operation)
                    .containsExactly("isolate n1", "partition [[n1, n2], [n3]]", "heal", "isolate n1");
            assertThat(cluster.isPartitioned("n1", "n2")).as("the schedule ends without healing").isTrue();
            List<Cluster.Step> steps = nemesis.steps();
            for (int i = 1; i < steps.size(); i++) {
                assertThat(steps.get(i).at()).isAfterOrEqualTo(steps.get(i - 1).at());
            }
            assertThat(nemesis.toString()).isEqualTo(
                    "nemesis every 10 ms, scripted [isolate n1, partition [[n1, n2], [n3]], heal], limit 4");
        }
    }

    @Test
    void aScheduleBoundedByTimeEndsAndClosingTheClusterStopsAnUnboundedOne() {
        try (LoopbackSpace space = LoopbackSpace.open(); Cluster cluster = space.cluster(List.of("n1", "n2", "n3"), 7000)) {
            Nemesis timed = cluster.nemesis().every(Duration.ofMillis(20)).randomOps(Op.isolateAny(), Op.heal())
                    .lasting(Duration.ofMillis(300)).start();
            await().atMost(PATIENCE).until(timed::isDone);
            assertThat(timed.steps()).hasSizeBetween(1, 15);

            Nemesis endless = cluster.nemesis().every(Duration.ofMillis(5)).randomOps(Op.isolateAny(), Op.heal()).start();
            await().atMost(PATIENCE).until(() -> endless.steps().size() >= 3);
            cluster.close();
            assertThat(endless.isDone()).isTrue();
            int ran = endless.steps().size();
            await().during(Duration.ofMillis(200)).atMost(PATIENCE)
                    .until(() -> endless.steps().size() == ran);
            assertThat(cluster.nemeses()).containsExactly(timed, endless);
        }
    }

    @Test
    void aFailingStepEndsTheScheduleAndSaysWhy() {
        try (LoopbackSpace space = LoopbackSpace.open(); Cluster cluster = space.cluster(List.of("n1", "n2", "n3"), 7000)) {
            Nemesis nemesis = cluster.nemesis().every(Duration.ofMillis(5))
                    .ops(Op.heal(), Op.of("isolate n9", c -> c.isolate("n9")), Op.heal()).start();
            await().atMost(PATIENCE).until(nemesis::isDone);
            assertThat(nemesis.steps()).extracting(Cluster.Step::operation).containsExactly("heal",
                    "isolate n9 failed: unknown node n9; the cluster's nodes are [n1, n2, n3]");
        }
    }

    @Test
    void badScheduleSettingsNameTheValueAndWhatIsAllowed() {
        try (LoopbackSpace space = LoopbackSpace.open(); Cluster cluster = space.cluster(List.of("n1", "n2", "n3"), 7000)) {
            assertThatThrownBy(() -> cluster.nemesis().every(Duration.ZERO))
                    .hasMessageStartingWith("nemesis period PT0S must be positive");
            assertThatThrownBy(() -> cluster.nemesis().randomOps(Op.majoritiesRing()))
                    .hasMessage("nemesis operation majoritiesRing needs at least 4 nodes; the cluster has [n1, n2, n3]");
            assertThatThrownBy(() -> cluster.nemesis().limit(0)).hasMessage("nemesis step limit 0 must be at least 1");
            assertThatThrownBy(() -> cluster.nemesis().start())
                    .hasMessage("a nemesis needs operations: call ops(...) or randomOps(...) first");
            cluster.close();
            assertThatThrownBy(cluster::nemesis).hasMessage("the cluster [n1, n2, n3] is closed");
        }
    }
}
