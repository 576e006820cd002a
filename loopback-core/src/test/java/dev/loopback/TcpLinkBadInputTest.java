package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpLinkBadInputTest {

    @Test
    void datagramFaultsAreRejectedNamingTheKindsTcpAccepts() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            TcpLink link = space.link(space.endpoint("server"));
            for (Fault f : List.of(Fault.rate(1000), Fault.duplicate(0.1), Fault.reorder(0.1, 2), Fault.corrupt(0.1),
                    Fault.truncate(10))) {
                assertThatThrownBy(() -> link.inject(f)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(f.kind().name().toLowerCase(java.util.Locale.ROOT))
                        .hasMessageContaining("latency, bandwidth, loss, reset, refuse");
            }
            assertThatThrownBy(() -> link.inject(Fault.gilbertElliott(0.1, 0.5, 1, 0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Gilbert-Elliott");
            assertThat(link.faults()).isEmpty();
        }
    }

    @Test
    void refuseCannotBeDrawnPerConnectionOrTriggered() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            TcpLink link = space.link(space.endpoint("server"));
            assertThatThrownBy(() -> link.inject(Fault.refuse().probability(0.5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.5")
                    .hasMessageContaining("probability 0 or 1");
            assertThatThrownBy(() -> link.inject(Fault.refuse().onConnection(2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trigger");
            assertThatThrownBy(() -> link.inject(Fault.refuse().after(Duration.ofSeconds(1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trigger");
        }
    }

    @Test
    void aClosedLinkRejectsChangesAndStaysReadable() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            TcpLink link = space.link("gone", space.endpoint("server"));
            link.inject(Fault.latency(Duration.ofMillis(5)));
            link.close();
            link.close();
            assertThatThrownBy(() -> link.inject(Fault.reset())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'gone'").hasMessageContaining("closed");
            assertThatThrownBy(link::clear).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(link::partition).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(link::heal).isInstanceOf(IllegalStateException.class);
            assertThat(link.stats().accepted()).isZero();
            assertThat(link.events()).isNotEmpty();
            assertThat(link.connections()).isEmpty();
            assertThat(link.faults()).isEmpty();
        }
    }

    @Test
    void closingTheSpaceClosesItsLinks() {
        TcpLink link;
        try (LoopbackSpace space = LoopbackSpace.open()) {
            link = space.link(space.endpoint("server"));
        }
        assertThat(link.isClosed()).isTrue();
    }
}
