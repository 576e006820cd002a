package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Faults as values: typed refinements, equality, text, and validation where they are made. */
class FaultValuesTest {

    @Test
    void refinementsKeepTheConcreteTypeSoKindOptionsStillFollow() {
        Bandwidth shared = Fault.bandwidth(1000).toClient().shared();
        Latency jittered = Fault.latency(Duration.ofMillis(5)).probability(0.5).afterBytes(10).jitter(Duration.ofMillis(1));
        LossStall stall = Fault.loss(0.1).toServer().stall(Duration.ofMillis(20));
        Rate rate = Fault.rate(1000).after(Duration.ofSeconds(1)).queue(5000);

        assertThat(shared.isShared()).isTrue();
        assertThat(shared.direction()).isEqualTo(Direction.TO_CLIENT);
        assertThat(jittered.jitter()).isEqualTo(Duration.ofMillis(1));
        assertThat(jittered.scope()).isEqualTo(new FaultScope(Direction.BOTH, 0.5, 10, Duration.ZERO, 0));
        assertThat(stall.kind()).isEqualTo(FaultKind.LOSS);
        assertThat(stall.probability()).isEqualTo(0.1);
        assertThat(rate.queueBytes()).isEqualTo(5000);
        assertThat(rate.after()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void faultsAreEqualByValue() {
        assertThat(Fault.latency(Duration.ofMillis(50)).toClient()).isEqualTo(Fault.latency(Duration.ofMillis(50)).toClient())
                .hasSameHashCodeAs(Fault.latency(Duration.ofMillis(50)).toClient())
                .isNotEqualTo(Fault.latency(Duration.ofMillis(50)).toServer());
        assertThat(Fault.loss(0.1)).isEqualTo(Fault.loss(0.2).probability(0.1)).isNotEqualTo(Fault.loss(0.1).stall(Duration.ofMillis(200)));
        assertThat(Fault.cutAfter(10)).isNotEqualTo(Fault.cutAfter(Duration.ofMillis(10)));
    }

    @Test
    void textReadsLikeTheCallThatMadeTheFault() {
        assertThat(Fault.latency(Duration.ofMillis(50)).jitter(Duration.ofMillis(10)).toClient())
                .hasToString("latency(50ms).jitter(10ms).toClient()");
        assertThat(Fault.latency(Duration.ofMillis(20)).jitter(Duration.ofMillis(5)).distribution(Distribution.NORMAL).preserveOrder())
                .hasToString("latency(20ms).jitter(5ms).distribution(NORMAL).preserveOrder()");
        assertThat(Fault.loss(0.05)).hasToString("loss(0.05)");
        assertThat(Fault.loss(0.05).toServer().stall(Duration.ofMillis(150))).hasToString("loss(0.05).stall(150ms).toServer()");
        assertThat(Fault.reset().probability(0.2).afterBytes(1_000)).hasToString("reset().probability(0.2).afterBytes(1000)");
        assertThat(Fault.bandwidth(1024).toClient().shared()).hasToString("bandwidth(1024).shared().toClient()");
        assertThat(Fault.gilbert(0.05, 0.25).toServer()).hasToString("gilbert(0.05, 0.25).toServer()");
        assertThat(Fault.gilbertElliott(0.1, 0.5, 0.9, 0.01)).hasToString("gilbertElliott(0.1, 0.5, 0.9, 0.01)");
        assertThat(Fault.rate(100_000).queue(10_000)).hasToString("rate(100000).queue(10000)");
        assertThat(Fault.reorder(0.5, 3).onConnection(2)).hasToString("reorder(0.5, 3).onConnection(2)");
        assertThat(Fault.cutAfter(Duration.ofSeconds(2))).hasToString("cutAfter(2s)");
        assertThat(Fault.slice(100, 20, Duration.ofMillis(5)).after(Duration.ofMillis(1500)))
                .hasToString("slice(100, 20, 5ms).after(1500ms)");
        assertThat(Fault.slowOpen(Duration.ofNanos(1500))).hasToString("slowOpen(1500ns)");
    }

    @Test
    void everyKindHasItsProtocols() {
        List<Fault> both = List.of(Fault.latency(Duration.ZERO), Fault.loss(0.1), Fault.blackhole(), Fault.freeze());
        assertThat(both).allSatisfy(f -> assertThat(f).isInstanceOf(TcpFault.class).isInstanceOf(UdpFault.class));
        assertThat(List.<Fault>of(Fault.reset(), Fault.refuse(), Fault.bandwidth(1), Fault.cutAfter(1), Fault.slowOpen(Duration.ofMillis(1)),
                Fault.loss(0.1).stall(Duration.ofMillis(1)))).allSatisfy(f -> assertThat(f).isNotInstanceOf(UdpFault.class));
        assertThat(List.<Fault>of(Fault.rate(1), Fault.gilbert(0.1, 0.5), Fault.duplicate(0.1), Fault.corrupt(0.1),
                Fault.truncate(1), Fault.reorder(0.1, 2))).allSatisfy(f -> assertThat(f).isNotInstanceOf(TcpFault.class));
    }

    @Test
    void durationsThatWouldOverflowNanosecondArithmeticAreRefusedNamingTheMaximum() {
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
        Duration nanosForever = Duration.ofNanos(Long.MAX_VALUE);
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.latency(huge))
                .withMessageContaining("latency delay").withMessageContaining("365 days").withMessageContaining("Fault.MAX_DURATION");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.cutAfter(nanosForever))
                .withMessageContaining("cutAfter age PT2562047H47M16.854775807S").withMessageContaining("365 days");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.latency(Duration.ZERO).jitter(nanosForever));
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.reset().after(huge)).withMessageContaining("after");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.loss(0.1).stall(huge));
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.slowOpen(huge));
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.slowClose(huge));
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.slice(10, 0, huge));
        assertThat(Fault.latency(Fault.MAX_DURATION).delay()).isEqualTo(Duration.ofDays(365));
    }

    @Test
    void badValuesAreRefusedWhereTheyAreMade() {
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.reset().probability(1.5)).withMessage("probability 1.5 is outside [0, 1]");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.freeze().afterBytes(-1)).withMessageContaining("afterBytes -1");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.freeze().onConnection(0)).withMessageContaining(">= 1");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.latency(Duration.ofMillis(-1))).withMessageContaining(">= 0");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.latency(Duration.ZERO).jitter(Duration.ofMillis(1))
                .distribution(Distribution.LOGNORMAL)).withMessageContaining("lognormal");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.bandwidth(0)).withMessageContaining("blackhole() or freeze()");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.slice(0, 0, Duration.ZERO)).withMessageContaining("averageBytes 0");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.slice(10, 10, Duration.ZERO)).withMessageContaining("variation 10");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.cutAfter(-1)).withMessageContaining("cutAfter bytes -1");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.slowClose(Duration.ZERO)).withMessageContaining("> 0");
    }

    @Test
    void refuseTakesOnlyCertainProbabilitiesNoTriggerAndNoDirection() {
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.refuse().probability(0.5))
                .withMessageContaining("0.5").withMessageContaining("probability 0 or 1");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.refuse().afterBytes(1)).withMessageContaining("trigger");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.refuse().toClient()).withMessageContaining("direction");
        assertThat(Fault.refuse().probability(0).probability()).isZero();
    }

    @Test
    void slowOpenRefusesOptionsThatWouldDoNothing() {
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.slowOpen(Duration.ofMillis(5)).toServer())
                .withMessageContaining("no effect");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.slowOpen(Duration.ofMillis(5)).afterBytes(10));
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.slowOpen(Duration.ofMillis(5)).after(Duration.ofMillis(1)));
        assertThat(Fault.slowOpen(Duration.ofMillis(5)).onConnection(2).probability(0.5).onConnection()).isEqualTo(2);
    }
}
