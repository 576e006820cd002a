package dev.loopback.junit;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.Cluster;
import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.inspect.SocketInspector;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
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

    @Test
    void hasNoBypassNamesTheClientThatDialledANodeDirectly() throws Exception {
        Assumptions.assumeTrue(SocketInspector.canListListeners(), "needs the kernel's socket tables");
        try (LoopbackSpace space = LoopbackSpace.open();
                ServerSocket server = space.bind("n2", 7000).socket()) {
            Cluster cluster = space.cluster(List.of("n1", "n2"), 7000);
            Endpoint path = cluster.path("n1", "n2", 7000);
            try (Socket viaPath = new Socket(path.address(), path.port())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> SocketInspector.peersOf(cluster.endpoint("n2", 7000))
                        .size() == 1);
                assertThat(cluster).hasNoBypass();
                Endpoint real = cluster.endpoint("n2", 7000);
                try (Socket direct = new Socket(real.address(), real.port())) {
                    assertThatThrownBy(() -> assertThat(cluster).hasNoBypass()).isInstanceOf(AssertionError.class)
                            .hasMessage("Expecting every connection to the nodes of [n1, n2] to go through the cluster's"
                                    + " paths, but this client dialled a node's own endpoint (no fault acts on it): [127.0.0.1:"
                                    + direct.getLocalPort() + " -> n2 " + real.hostPort() + "]; give each node"
                                    + " cluster.path(from, to, port) or cluster.advertised(to, port) for its peers");
                }
            }
        }
    }
}
