package dev.loopback.testing.tcp;

import dev.loopback.Cluster;
import dev.loopback.LoopbackSpace;
import java.util.ArrayList;
import java.util.List;

/** A fresh space with a cluster of nodes n1, n2 and n3, each running an echo server on {@link #PORT}. */
public final class EchoCluster implements AutoCloseable {

    /** The port every node serves. */
    public static final int PORT = 7000;

    private final LoopbackSpace space = LoopbackSpace.open();
    private final Cluster cluster = space.cluster(List.of("n1", "n2", "n3"), PORT);
    private final List<TestServer> servers = new ArrayList<>();

    public EchoCluster() {
        for (String node : cluster.nodes()) {
            servers.add(TestServer.start(space.bind(node, PORT), 4, TestServer.ECHO));
        }
    }

    public LoopbackSpace space() {
        return space;
    }

    public Cluster cluster() {
        return cluster;
    }

    /** Closes the cluster, the servers, then the space. */
    @Override
    public void close() throws Exception {
        cluster.close();
        for (TestServer server : servers) {
            server.close();
        }
        space.close();
    }
}
