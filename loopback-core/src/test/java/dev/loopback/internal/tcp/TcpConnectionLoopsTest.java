package dev.loopback.internal.tcp;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.loopback.Fault;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.internal.engine.EventLoops;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.tcp.stage.FaultStage;
import dev.loopback.internal.tcp.stage.StageContext;
import dev.loopback.testing.tcp.TestServer;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** A link's connections take the engine threads in turn, so concurrent transfers through one link use both. */
class TcpConnectionLoopsTest {

    @Test
    void consecutiveConnectionsOfOneLinkAreServedByDifferentEngineThreads() throws Exception {
        assumeThat(Runtime.getRuntime().availableProcessors()).as("two engine threads need two CPUs").isGreaterThan(1);
        Map<Long, String> servedBy = new ConcurrentHashMap<>();
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 4)) {
            TcpLink link = space.link(server.endpoint());
            // The seam: each connection's stage notes the thread that asks it (its connection's loop).
            ((TcpRelay) link).stageFactory((fault, connection) -> new NotesThread(fault, connection, servedBy));
            link.inject(Fault.latency(Duration.ZERO));
            for (int i = 1; i <= 4; i++) {
                try (Socket client = connect(link)) {
                    client.getOutputStream().write(i);
                    assertThat(client.getInputStream().read()).as("connection %d echoes through the link", i).isEqualTo(i);
                }
            }
        }
        assertThat(servedBy).hasSize(4);
        assertThat(servedBy.values()).allMatch(name -> name.startsWith(EventLoops.THREAD_PREFIX));
        assertThat(servedBy.get(1L)).as("connections 1 and 2").isNotEqualTo(servedBy.get(2L));
        assertThat(servedBy.get(1L)).as("connections 1 and 3").isEqualTo(servedBy.get(3L));
        assertThat(servedBy.get(2L)).as("connections 2 and 4").isEqualTo(servedBy.get(4L));
    }

    /** A stage that does nothing but note which thread serves its connection. */
    private static final class NotesThread extends FaultStage {
        private final Map<Long, String> servedBy;

        NotesThread(ActiveFault fault, StageContext connection, Map<Long, String> servedBy) {
            super(fault, connection, false);
            this.servedBy = servedBy;
        }

        @Override
        public long check(long now) {
            servedBy.putIfAbsent(connection.id(), Thread.currentThread().getName());
            return NEVER;
        }
    }
}
