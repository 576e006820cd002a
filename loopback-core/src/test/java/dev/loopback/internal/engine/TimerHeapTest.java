package dev.loopback.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerHeapTest {

    @Test
    void timersFireByDeadlineAndTiesInTheOrderTheyWereArmed() {
        TimerHeap heap = new TimerHeap();
        List<String> fired = new ArrayList<>();
        // Many ties at 100 interleaved with other deadlines, as an order-preserving UDP latency arms them.
        for (int i = 0; i < 50; i++) {
            String name = "tie-" + i;
            heap.add(Timer.of(() -> fired.add(name)), 100);
            heap.add(Timer.of(() -> { }), i % 2 == 0 ? 50 + i : 150 + i);
        }
        Timer moved = Timer.of(() -> fired.add("moved"));
        heap.add(moved, 10);
        heap.add(moved, 100);
        List<String> ties = new ArrayList<>();
        while (!heap.isEmpty()) {
            Timer t = heap.poll();
            if (t.deadline() == 100) {
                t.fire();
            }
        }
        for (int i = 0; i < 50; i++) {
            ties.add("tie-" + i);
        }
        ties.add("moved");
        assertThat(fired).containsExactlyElementsOf(ties);
    }
}
