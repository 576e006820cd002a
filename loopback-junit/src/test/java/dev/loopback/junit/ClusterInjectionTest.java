package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.loopback.Cluster;
import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.Nemesis;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@code @LoopbackCluster}: injected, shared by declarations of the same nodes, closed after the test, reported. */
@ResourceLock("ClusterInjectionTest fixtures")
class ClusterInjectionTest {

    @Test
    void fieldAndParameterShareOneClusterThatCarriesTrafficAndClosesAfterTheTest() {
        Kit.assertAllSucceeded(Kit.run(Traffic.class), 1);
        Cluster cluster = Traffic.SEEN.get("cluster");
        assertThatThrownBy(cluster::heal).isInstanceOf(IllegalStateException.class)
                .hasMessage("the cluster [n1, n2, n3] is closed (its space closed)");
    }

    @Test
    void failureReportCarriesTheNemesisJournalWithTimes() {
        String report = Kit.onlyTestFailure(Kit.run(Failing.class)).getSuppressed()[0].getMessage();
        assertThat(report).contains("cluster [a, b, c] nemesis journal:")
                .containsPattern("\n      \\d{4}-\\d\\d-\\d\\dT[^ ]+Z isolate b\n      [^ ]+Z heal");
    }

    @Test
    void failureReportCarriesTheStepsTheScheduleRanWithTheirTimes() {
        String report = Kit.onlyTestFailure(Kit.run(FailingUnderNemesis.class)).getSuppressed()[0].getMessage();
        assertThat(report).containsPattern("\n    cluster \\[a, b, c] nemesis every 5 ms, scripted \\[isolate b, heal],"
                + " limit 2: 2 steps\n      \\d{4}-\\d\\d-\\d\\dT[^ ]+Z isolate b\n      [^ ]+Z heal");
    }

    @Test
    void aDeclarationOfAnotherTypeOrWithBadNodesIsRejectedNamingTheElement() {
        assertThat(Kit.onlyTestFailure(Kit.run(WrongType.class)))
                .hasMessageEndingWith(": @LoopbackCluster parameter cluster of test has type dev.loopback.LoopbackSpace;"
                        + " it injects a dev.loopback.Cluster only");
        assertThat(Kit.onlyTestFailure(Kit.run(OneNode.class)))
                .hasMessage("@LoopbackCluster field OneNode.cluster: a cluster needs at least 2 nodes; got [solo]");
    }

    @Fixture
    static class Traffic {
        static final Map<String, Cluster> SEEN = new ConcurrentHashMap<>();

        @LoopbackCluster(value = {"n1", "n2", "n3"}, ports = 7000)
        Cluster cluster;

        @Test
        void test(@LoopbackCluster(value = {"n1", "n2", "n3"}, ports = 7000) Cluster same, LoopbackSpace space)
                throws Exception {
            assertThat(same).isSameAs(cluster);
            SEEN.put("cluster", cluster);
            try (EchoServer echo = new EchoServer(space.bind("n2", 7000).socket())) {
                Endpoint path = cluster.path("n1", "n2", 7000);
                try (Socket client = new Socket(path.address(), path.port())) {
                    client.setSoTimeout(10_000);
                    client.getOutputStream().write(42);
                    assertThat(client.getInputStream().read()).isEqualTo(42);
                }
            }
        }
    }

    @Fixture
    static class Failing {
        @Test
        void test(@LoopbackCluster(value = {"a", "b", "c"}, ports = 9000) Cluster cluster) {
            cluster.isolate("b");
            cluster.heal();
            fail("the system lost a write");
        }
    }

    @Fixture
    static class FailingUnderNemesis {
        @Test
        void test(@LoopbackCluster(value = {"a", "b", "c"}, ports = 9000) Cluster cluster) {
            Nemesis nemesis = cluster.nemesis().every(Duration.ofMillis(5)).ops(Nemesis.Op.isolate("b"), Nemesis.Op.heal())
                    .limit(2).start();
            await().atMost(Duration.ofSeconds(20)).until(nemesis::isDone);
            fail("the system lost a write");
        }
    }

    @Fixture
    static class WrongType {
        @Test
        void test(@LoopbackCluster(value = {"a", "b"}, ports = 9000) LoopbackSpace cluster) {
            // rejected before it runs
        }
    }

    @Fixture
    static class OneNode {
        @LoopbackCluster(value = "solo", ports = 9000)
        Cluster cluster;

        @Test
        void test() {
            // rejected before it runs
        }
    }
}
