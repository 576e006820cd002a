package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The partition value: modes, defaults, refinements and their checks. */
class PartitionTest {

    @Test
    void holdKeepsConnectionsAndDropGivesUpAfterTheDefault() {
        assertThat(Partition.hold().mode()).isEqualTo(Partition.Mode.HOLD);
        assertThat(Partition.hold().giveUpAfter()).isEmpty();
        assertThat(Partition.drop().mode()).isEqualTo(Partition.Mode.DROP);
        assertThat(Partition.drop().giveUpAfter()).contains(Partition.DEFAULT_GIVE_UP_AFTER);
        assertThat(Partition.drop().direction()).isEqualTo(Direction.BOTH);
    }

    @Test
    void refinementsMakeNewValuesThatPrintLikeTheirCalls() {
        Partition p = Partition.drop().giveUpAfter(Duration.ofSeconds(2)).only(Direction.TO_SERVER);
        assertThat(p.direction()).isEqualTo(Direction.TO_SERVER);
        assertThat(p.giveUpAfter()).contains(Duration.ofSeconds(2));
        assertThat(p).hasToString("drop().giveUpAfter(2s).only(TO_SERVER)")
                .isEqualTo(Partition.drop().only(Direction.TO_SERVER).giveUpAfter(Duration.ofSeconds(2)))
                .isNotEqualTo(Partition.drop());
        assertThat(Partition.hold().only(Direction.BOTH)).isEqualTo(Partition.hold()).hasToString("hold()");
    }

    @Test
    void badValuesAreRefusedNamingTheRule() {
        assertThatThrownBy(() -> Partition.hold().giveUpAfter(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Partition.drop().giveUpAfter");
        assertThatThrownBy(() -> Partition.drop().giveUpAfter(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("giveUpAfter PT0S must be > 0");
        assertThatThrownBy(() -> Partition.drop().only(null)).isInstanceOf(NullPointerException.class);
    }
}
