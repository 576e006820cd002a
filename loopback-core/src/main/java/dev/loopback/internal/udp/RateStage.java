package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.Rate;
import dev.loopback.UdpStats.DropCause;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.link.FaultState;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The rate fault's effect: each rate fault is a queue per direction, shared by all clients (the
 * link's bottleneck), bounded by the fault's byte count (beyond it datagrams are dropped), that lets
 * datagrams depart at its bytes per second. Several rate faults act in injection order. Loop thread only.
 */
final class RateStage {

    private final Pipeline pipeline;
    private final IdentityHashMap<ActiveFault, Queue[]> queues = new IdentityHashMap<>();

    RateStage(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    void accept(Datagram datagram, long now) {
        accept(datagram, 0, now);
    }

    /** The rate faults injected after {@code afterIndex}, in injection order; then the send. */
    private void accept(Datagram datagram, long afterIndex, long now) {
        Flow flow = datagram.flow;
        for (FaultState state : pipeline.states(flow)) {
            if (!(state.fault() instanceof Rate fault) || state.active().index() <= afterIndex
                    || !flow.selects(state, now) || !state.draw(flow.direction, fault.probability())) {
                continue;
            }
            Queue queue = queue(state.active(), flow.direction, now);
            if (queue.bytes + datagram.length > fault.queueBytes()) {
                pipeline.accounting().dropped(flow, DropCause.RATE_QUEUE);
                return;
            }
            long start = queue.freeAt - now > 0 ? queue.freeAt : now;
            long depart = start + (long) (datagram.length * 1e9 / fault.bytesPerSecond());
            queue.freeAt = depart;
            queue.bytes += datagram.length;
            pipeline.accounting().fired(state, flow);
            long index = state.active().index();
            pipeline.later(flow, depart, (d, t) -> {
                queue.bytes -= d.length;
                accept(d, index, t);
            }, datagram);
            return;
        }
        pipeline.send(datagram);
    }

    /** Forgets the queues of faults no longer {@code active}. */
    void faultsChanged(ActiveFault[] active) {
        Set<ActiveFault> still = Set.of(active);
        queues.keySet().removeIf(f -> !still.contains(f));
    }

    private Queue queue(ActiveFault fault, Direction direction, long now) {
        Queue[] both = queues.computeIfAbsent(fault, f -> new Queue[2]);
        int i = direction == Direction.TO_SERVER ? 0 : 1;
        if (both[i] == null) {
            both[i] = new Queue(now);
        }
        return both[i];
    }

    /** The queue of one rate fault in one direction. */
    private static final class Queue {
        long freeAt;
        long bytes;

        Queue(long now) {
            freeAt = now;
        }
    }
}
