package dev.loopback.internal.udp;

import dev.loopback.Latency;
import dev.loopback.internal.link.FaultState;
import dev.loopback.internal.random.Delays;

/**
 * The latency and reorder faults' effect, as netem: latency schedules a datagram (summing the delays
 * of all latency faults), a reorder candidate ({@link ReorderStage}) goes at once while the others wait.
 * A reorder without latency holds one datagram for up to {@link #REORDER_HOLD_NANOS} for the next
 * candidate to overtake. Loop thread only.
 */
final class DelayStage {

    /** How long a reorder without latency holds a datagram for the next candidate to overtake. */
    static final long REORDER_HOLD_NANOS = 10_000_000;

    private final Pipeline pipeline;
    private final Stage next;

    DelayStage(Pipeline pipeline, Stage next) {
        this.pipeline = pipeline;
        this.next = next;
    }

    void accept(Datagram datagram, long now) {
        Flow flow = datagram.flow;
        long delay = 0;
        boolean latency = false;
        boolean preserveOrder = false;
        ReorderStage reorder = null;
        for (FaultState state : pipeline.states(flow)) {
            if (state.fault() instanceof Latency l && flow.selects(state, now)
                    && state.draw(flow.direction, l.probability())) {
                latency = true;
                preserveOrder |= l.preservesOrder();
                long d = Delays.sample(l.distribution(), l.delay().toNanos(), l.jitter().toNanos(),
                        state.random(flow.direction));
                delay = delay > Long.MAX_VALUE / 4 - d ? Long.MAX_VALUE / 4 : delay + d;
                pipeline.accounting().fired(state, flow);
            } else if (state instanceof ReorderStage r && reorder == null && flow.selects(state, now)) {
                reorder = r;
            }
        }
        boolean overtake = reorder != null && reorder.overtakes(flow.direction);
        if (overtake) {
            pipeline.accounting().fired(reorder, flow);
        }
        if (latency) {
            long release = now;
            if (!overtake) {
                release = now + delay;
                if (preserveOrder) {
                    release = release - flow.lastRelease < 0 ? flow.lastRelease : release;
                    flow.lastRelease = release;
                }
            }
            pipeline.later(flow, release, next, datagram);
        } else if (reorder != null) {
            hold(datagram, overtake, now);
        } else {
            next.accept(datagram, now);
        }
    }

    /** Reorder without latency: an overtaking datagram goes before the held one; any other is held in its place. */
    private void hold(Datagram datagram, boolean overtake, long now) {
        Flow flow = datagram.flow;
        Datagram held = flow.reorderHeld;
        if (overtake) {
            flow.reorderHeld = null;
            next.accept(datagram, now);
            if (held != null) {
                next.accept(held, now);
            }
        } else {
            flow.reorderHeld = datagram;
            if (held != null) {
                next.accept(held, now);
            }
            pipeline.runAt(flow, now + REORDER_HOLD_NANOS, () -> {
                if (flow.reorderHeld == datagram) {
                    flow.reorderHeld = null;
                    next.accept(datagram, System.nanoTime());
                }
            });
        }
    }
}
