package dev.loopback.internal.tcp;

import static dev.loopback.testing.tcp.Clients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.Direction;
import dev.loopback.Fault;
import dev.loopback.LinkEvent;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.tcp.stage.FaultStage;
import dev.loopback.internal.tcp.stage.StageContext;
import dev.loopback.internal.tcp.stage.Stages;
import dev.loopback.testing.tcp.TestServer;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The error policy: a stage that throws resets its own connection at once; the link and its other connections carry on. */
class TcpEngineErrorTest {

    private static final IllegalStateException BOOM = new IllegalStateException("stage failed on purpose");

    @Test
    void aStageThatThrowsOnDataResetsItsConnectionAtOnceAndTheNextConnectionWorks() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 2)) {
            TcpLink link = space.link(server.endpoint());
            failOnFirstConnection(link, ThrowsOnData::new);
            link.inject(Fault.latency(Duration.ZERO));
            try (Socket first = connect(link)) {
                first.getOutputStream().write(1);
                long start = System.nanoTime();
                assertThatThrownBy(() -> first.getInputStream().read()).isInstanceOf(SocketException.class)
                        .hasMessageContaining("Connection reset");
                // The client's own wake-up is at the scheduler's mercy on a loaded machine: generous here;
                // the engine's reaction (error caught -> RST sent) is held to 100 ms below, from the journal.
                assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the client saw the reset").isLessThan(2_000);
            }
            assertEngineErrorJournalled(link);
            assertThat(gapMillis(link, LinkEvent.Type.ENGINE_ERROR, LinkEvent.Type.RST_SENT))
                    .as("ms from the engine error to the RST, by the journal").isLessThan(100);
            try (Socket second = connect(link)) {
                second.getOutputStream().write(2);
                assertThat(second.getInputStream().read()).as("the link still serves connections").isEqualTo(2);
            }
            assertThat(link.stats().engineErrors()).isEqualTo(1);
        }
    }

    @Test
    void aStageThatThrowsFromATimerResetsItsConnection() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); TestServer server = TestServer.echo(space, 2)) {
            TcpLink link = space.link(server.endpoint());
            failOnFirstConnection(link, ThrowsOnTimer::new);
            link.inject(Fault.latency(Duration.ZERO));
            try (Socket first = connect(link)) {
                assertThatThrownBy(() -> first.getInputStream().read()).isInstanceOf(SocketException.class)
                        .hasMessageContaining("Connection reset");
            }
            assertEngineErrorJournalled(link);
            try (Socket second = connect(link)) {
                second.getOutputStream().write(3);
                assertThat(second.getInputStream().read()).isEqualTo(3);
            }
        }
    }

    private interface Failing {
        FaultStage create(ActiveFault fault, StageContext connection);
    }

    /** The seam: connection 1 gets the failing stage, every other connection the real one. */
    private static void failOnFirstConnection(TcpLink link, Failing failing) {
        ((TcpRelay) link).stageFactory((fault, connection) ->
                connection.id() == 1 ? failing.create(fault, connection) : Stages.create(fault, connection));
    }

    private static void assertEngineErrorJournalled(TcpLink link) {
        await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().engineErrors() == 1);
        LinkEvent error = link.events().stream().filter(e -> e.type() == LinkEvent.Type.ENGINE_ERROR).findFirst().orElseThrow();
        assertThat(error.connection()).isEqualTo(1);
        assertThat(error.error()).isSameAs(BOOM);
        assertThat(error.detail()).contains("connection reset both ways").contains("stage failed on purpose");
        assertThat(link.events()).filteredOn(e -> e.connection() == 1).extracting(LinkEvent::type)
                .contains(LinkEvent.Type.RST_SENT, LinkEvent.Type.CLOSED);
    }

    private static long gapMillis(TcpLink link, LinkEvent.Type from, LinkEvent.Type to) {
        Duration a = link.events().stream().filter(e -> e.type() == from && e.connection() == 1).findFirst().orElseThrow().at();
        Duration b = link.events().stream().filter(e -> e.type() == to && e.connection() == 1).findFirst().orElseThrow().at();
        return b.minus(a).toMillis();
    }

    /** Throws when the link reads the connection's first byte. */
    private static final class ThrowsOnData extends FaultStage {
        ThrowsOnData(ActiveFault fault, StageContext connection) {
            super(fault, connection, false);
        }

        @Override
        public long delayAt(Direction direction, long position, long now) {
            throw BOOM;
        }
    }

    /** Asks to be checked again 20 ms after the first check, and throws then, from the connection's timer. */
    private static final class ThrowsOnTimer extends FaultStage {
        private long deadline;

        ThrowsOnTimer(ActiveFault fault, StageContext connection) {
            super(fault, connection, false);
        }

        @Override
        public long check(long now) {
            if (deadline == 0) {
                deadline = now + 20_000_000;
            }
            if (deadline - now > 0) {
                return deadline;
            }
            throw BOOM;
        }
    }
}
