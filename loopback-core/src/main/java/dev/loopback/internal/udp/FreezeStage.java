package dev.loopback.internal.udp;

import dev.loopback.Freeze;
import dev.loopback.UdpStats.DropCause;
import dev.loopback.internal.link.FaultState;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The freeze fault's effect: a frozen flow's datagrams are held in arrival order, within the link's
 * buffer size (beyond it they are dropped), and flow on when the freeze is removed. Loop thread only.
 */
final class FreezeStage {

    private final Pipeline pipeline;
    private final int bufferBytes;
    private final Stage next;
    private final Set<Flow> frozenFlows = new LinkedHashSet<>();
    private long frozenBytes;

    FreezeStage(Pipeline pipeline, int bufferBytes, Stage next) {
        this.pipeline = pipeline;
        this.bufferBytes = bufferBytes;
        this.next = next;
    }

    void accept(Datagram datagram, long now) {
        Flow flow = datagram.flow;
        FaultState freeze = freezing(flow, now);
        if (freeze == null) {
            if (!flow.frozen.isEmpty()) {
                release(flow, now);
            }
            next.accept(datagram, now);
        } else if (frozenBytes + datagram.length > bufferBytes) {
            pipeline.accounting().dropped(flow, DropCause.FREEZE_OVERFLOW);
        } else {
            pipeline.accounting().fired(freeze, flow);
            flow.frozen.addLast(datagram);
            frozenBytes += datagram.length;
            frozenFlows.add(flow);
        }
    }

    /** Frozen flows whose freeze is gone flow on. */
    void faultsChanged(long now) {
        for (Flow flow : List.copyOf(frozenFlows)) {
            if (freezing(flow, now) == null) {
                release(flow, now);
            }
        }
    }

    private FaultState freezing(Flow flow, long now) {
        for (FaultState state : pipeline.states(flow)) {
            if (state.fault() instanceof Freeze && flow.selects(state, now) && state.once(flow.direction)) {
                return state;
            }
        }
        return null;
    }

    private void release(Flow flow, long now) {
        frozenFlows.remove(flow);
        Datagram held;
        while ((held = flow.frozen.pollFirst()) != null) {
            frozenBytes -= held.length;
            next.accept(held, now);
        }
    }
}
