package dev.loopback.internal.udp;

import dev.loopback.Blackhole;
import dev.loopback.Corrupt;
import dev.loopback.Direction;
import dev.loopback.Duplicate;
import dev.loopback.Truncate;
import dev.loopback.UdpStats.DropCause;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.link.FaultState;
import java.nio.ByteBuffer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The path of a datagram through the link, in netem's order: partition, blackhole and loss
 * ({@link LossStage}) drop it; duplicate sends a second copy through the rest on its own; then
 * {@link CorruptStage} and {@link TruncateStage} alter it, {@link FreezeStage} holds it,
 * {@link DelayStage} (latency and reorder) schedules it, {@link RateStage} queues it, and its
 * {@link Outbox} sends it. Without faults a datagram is sent straight from the receive buffer.
 * Loop thread only.
 */
final class Pipeline {

    /** Runs an action for a flow on the loop at a deadline unless the link closes first. */
    interface Scheduler {
        void runAt(Flow flow, long deadline, Runnable action);
    }

    private final Supplier<ActiveFault[]> faults;
    private final Accounting accounting;
    /** Whether a partition cuts a direction now. */
    private final Predicate<Direction> partitioned;
    private final Outbox frontOut;
    private final Scheduler scheduler;
    private final RateStage rate = new RateStage(this);
    private final DelayStage delay = new DelayStage(this, rate::accept);
    private final FreezeStage freeze;

    Pipeline(Supplier<ActiveFault[]> faults, Accounting accounting, Predicate<Direction> partitioned, Outbox frontOut,
            Scheduler scheduler, int bufferBytes) {
        this.faults = faults;
        this.accounting = accounting;
        this.partitioned = partitioned;
        this.frontOut = frontOut;
        this.scheduler = scheduler;
        this.freeze = new FreezeStage(this, bufferBytes, delay::accept);
    }

    /**
     * One datagram received on {@code flow}; {@code buffer} is the loop's receive buffer. With
     * {@code burst}, the wakeup that received it has more to receive, so a datagram passing
     * straight through waits in its {@link Outbox} rather than being sent at once.
     */
    void receive(Flow flow, ByteBuffer buffer, long now, boolean burst) {
        long seq = ++flow.received;
        int length = buffer.remaining();
        if (partitioned.test(flow.direction)) {
            accounting.dropped(flow, DropCause.PARTITION);
        } else {
            ActiveFault[] active = faults.get();
            if (active.length == 0) {
                flow.highestSent = seq;
                outbox(flow).send(flow, buffer, burst);
            } else {
                impair(Datagram.copyOf(flow, seq, buffer), active, now);
            }
        }
        flow.bytesSeen += length;
    }

    /** Blackhole, loss and duplicate, then each copy on its own: corrupt, truncate, freeze. */
    private void impair(Datagram datagram, ActiveFault[] active, long now) {
        Flow flow = datagram.flow;
        FaultState[] states = flow.client.states(active);
        int copies = 1;
        for (FaultState state : states) {
            if (!flow.selects(state, now)) {
                continue;
            }
            if (state.fault() instanceof Blackhole) {
                if (state.once(flow.direction)) {
                    accounting.fired(state, flow);
                    accounting.dropped(flow, DropCause.BLACKHOLE);
                    return;
                }
            } else if (state instanceof LossStage loss) {
                if (loss.lose(flow.direction)) {
                    accounting.fired(state, flow);
                    accounting.dropped(flow, DropCause.LOSS);
                    return;
                }
            } else if (state.fault() instanceof Duplicate && state.draw(flow.direction, state.fault().probability())) {
                accounting.fired(state, flow);
                accounting.count(Accounting.DUPLICATED);
                copies++;
            }
        }
        for (int c = 1; c <= copies; c++) {
            Datagram copy = c < copies ? datagram.copy() : datagram;
            alter(copy, states, now);
            freeze.accept(copy, now);
        }
    }

    private void alter(Datagram datagram, FaultState[] states, long now) {
        Flow flow = datagram.flow;
        for (FaultState state : states) {
            boolean corrupt = state.fault() instanceof Corrupt;
            if ((!corrupt && !(state.fault() instanceof Truncate)) || !flow.selects(state, now)
                    || !state.draw(flow.direction, state.fault().probability())) {
                continue;
            }
            if (corrupt && CorruptStage.apply(state, datagram)) {
                accounting.count(Accounting.CORRUPTED);
                accounting.fired(state, flow);
            } else if (!corrupt && TruncateStage.apply(state, datagram)) {
                accounting.count(Accounting.TRUNCATED);
                accounting.fired(state, flow);
            }
        }
    }

    /** The last step: sends a held datagram unless a partition cuts its direction now or its mapping is gone. */
    void send(Datagram datagram) {
        Flow flow = datagram.flow;
        if (flow.client.closed) {
            accounting.dropped(flow, DropCause.ENGINE_ERROR);
            return;
        }
        if (partitioned.test(flow.direction)) {
            accounting.dropped(flow, DropCause.PARTITION);
            return;
        }
        if (datagram.seq < flow.highestSent) {
            accounting.count(Accounting.REORDERED);
        } else {
            flow.highestSent = datagram.seq;
        }
        outbox(flow).send(datagram);
    }

    /** After faults changed: frozen flows whose freeze is gone flow on; queues of removed rate faults go. */
    void faultsChanged(long now) {
        freeze.faultsChanged(now);
        rate.faultsChanged(faults.get());
    }

    // ---------------------------------------------------------------- for the stages

    /** The states of the active faults on {@code flow}'s client mapping. */
    FaultState[] states(Flow flow) {
        return flow.client.states(faults.get());
    }

    Accounting accounting() {
        return accounting;
    }

    void runAt(Flow flow, long deadline, Runnable action) {
        scheduler.runAt(flow, deadline, action);
    }

    /** Hands {@code datagram} to {@code stage} at {@code at}, counting it as held by its flow meanwhile. */
    void later(Flow flow, long at, Stage stage, Datagram datagram) {
        flow.scheduled++;
        scheduler.runAt(flow, at, () -> {
            flow.scheduled--;
            stage.accept(datagram, at);
        });
    }

    private Outbox outbox(Flow flow) {
        return flow.direction == Direction.TO_SERVER ? flow.client.upstreamOut : frontOut;
    }
}
