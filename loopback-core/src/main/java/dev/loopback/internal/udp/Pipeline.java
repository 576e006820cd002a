package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.FaultKind;
import dev.loopback.UdpStats.DropCause;
import dev.loopback.internal.fault.ActiveFault;
import dev.loopback.internal.fault.FaultRegistry;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The path of a datagram through the link, in netem's order: partition, blackhole and loss
 * ({@link Loss}) drop it; duplicate sends a second copy through the rest on its own; then
 * {@link Corrupt} and {@link Truncate} alter it, {@link Freeze} holds it, {@link Delay} (latency and
 * reorder) schedules it, {@link Rate} queues it, and its {@link Outbox} sends it. Without faults a
 * datagram is sent straight from the receive buffer. Loop thread only.
 */
final class Pipeline {

    /** Runs an action on the loop at a deadline unless the link closes first. */
    interface Scheduler {
        void runAt(long deadline, Runnable action);
    }

    private final FaultRegistry registry;
    private final Accounting accounting;
    private final AtomicBoolean partitioned;
    private final Outbox frontOut;
    private final Scheduler scheduler;
    private final Rate rate = new Rate(this);
    private final Delay delay = new Delay(this, rate::accept);
    private final Freeze freeze;

    Pipeline(FaultRegistry registry, Accounting accounting, AtomicBoolean partitioned, Outbox frontOut,
            Scheduler scheduler, int bufferBytes) {
        this.registry = registry;
        this.accounting = accounting;
        this.partitioned = partitioned;
        this.frontOut = frontOut;
        this.scheduler = scheduler;
        this.freeze = new Freeze(this, bufferBytes, delay::accept);
    }

    /**
     * One datagram received on {@code flow}; {@code buffer} is the loop's receive buffer. With
     * {@code burst}, the wakeup that received it has more to receive, so a datagram passing
     * straight through waits in its {@link Outbox} rather than being sent at once.
     */
    void receive(Flow flow, ByteBuffer buffer, long now, boolean burst) {
        long seq = ++flow.received;
        int length = buffer.remaining();
        if (partitioned.get()) {
            accounting.dropped(flow, DropCause.PARTITION);
        } else {
            ActiveFault[] faults = registry.snapshot();
            if (faults.length == 0) {
                flow.highestSent = seq;
                outbox(flow).send(flow, buffer, burst);
            } else {
                impair(Datagram.copyOf(flow, seq, buffer), faults, now);
            }
        }
        flow.bytesSeen += length;
    }

    /** Blackhole, loss and duplicate, then each copy on its own: corrupt, truncate, freeze. */
    private void impair(Datagram datagram, ActiveFault[] faults, long now) {
        Flow flow = datagram.flow;
        FaultState[] states = flow.states(faults);
        int copies = 1;
        for (FaultState state : states) {
            if (!state.applies(flow, now)) {
                continue;
            }
            switch (state.fault.kind()) {
                case BLACKHOLE -> {
                    if (state.once()) {
                        accounting.fired(state, flow);
                        accounting.dropped(flow, DropCause.BLACKHOLE);
                        return;
                    }
                }
                case LOSS -> {
                    if (((Loss) state).lose()) {
                        accounting.fired(state, flow);
                        accounting.dropped(flow, DropCause.LOSS);
                        return;
                    }
                }
                case DUPLICATE -> {
                    if (state.draw(state.fault.probability())) {
                        accounting.fired(state, flow);
                        accounting.count(Accounting.DUPLICATED);
                        copies++;
                    }
                }
                default -> {
                    // acts later in the pipeline
                }
            }
        }
        for (int c = 1; c <= copies; c++) {
            Datagram copy = c < copies ? datagram.copy() : datagram;
            alter(copy, states, now);
            freeze.accept(copy, now);
        }
    }

    private void alter(Datagram datagram, FaultState[] states, long now) {
        for (FaultState state : states) {
            FaultKind kind = state.fault.kind();
            if ((kind != FaultKind.CORRUPT && kind != FaultKind.TRUNCATE) || !state.applies(datagram.flow, now)
                    || !state.draw(state.fault.probability())) {
                continue;
            }
            if (kind == FaultKind.CORRUPT && Corrupt.apply(state, datagram)) {
                accounting.count(Accounting.CORRUPTED);
                accounting.fired(state, datagram.flow);
            } else if (kind == FaultKind.TRUNCATE && Truncate.apply(state, datagram)) {
                accounting.count(Accounting.TRUNCATED);
                accounting.fired(state, datagram.flow);
            }
        }
    }

    /** The last step: sends a held datagram unless the link is partitioned now. */
    void send(Datagram datagram) {
        Flow flow = datagram.flow;
        if (partitioned.get()) {
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
        rate.faultsChanged(registry.snapshot());
    }

    // ---------------------------------------------------------------- for the stages

    /** The states of the active faults on {@code flow}. */
    FaultState[] states(Flow flow) {
        return flow.states(registry.snapshot());
    }

    Accounting accounting() {
        return accounting;
    }

    void runAt(long deadline, Runnable action) {
        scheduler.runAt(deadline, action);
    }

    /** Hands {@code datagram} to {@code stage} at {@code at}, counting it as held by its flow meanwhile. */
    void later(Flow flow, long at, Stage stage, Datagram datagram) {
        flow.scheduled++;
        scheduler.runAt(at, () -> {
            flow.scheduled--;
            stage.accept(datagram, at);
        });
    }

    private Outbox outbox(Flow flow) {
        return flow.direction == Direction.TO_SERVER ? flow.client.upstreamOut : frontOut;
    }
}
