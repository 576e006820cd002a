package dev.loopback.internal.fault;

import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.FaultKind;
import dev.loopback.LinkEvent;
import dev.loopback.internal.LinkJournal;
import dev.loopback.internal.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The faults active on one link. Readers (the engine, on every chunk or datagram) take a
 * lock-free {@link #snapshot()}; writers (the test thread) copy on write and then call the link's
 * change listener so the engine can act on live connections without the writer waiting for it.
 * The registry rejects the kinds its link's protocol does not accept and journals every injection
 * and removal.
 */
public final class FaultRegistry {

    private final String protocol;
    private final Set<FaultKind> accepted;
    private final LinkJournal journal;
    private final long linkSeed;
    private final LongSupplier acceptedConnections;
    private final Runnable onChange;
    private volatile ActiveFault[] active = new ActiveFault[0];
    private long injections;

    /**
     * @param protocol the link's protocol as users name it ({@code "TCP"}, {@code "UDP"}), for messages
     * @param accepted the kinds of fault the link's protocol accepts
     * @param journal the link's journal, which records every injection and removal
     * @param linkSeed the link's seed; fault {@code i} gets {@code Seeds.derive(linkSeed, i)}
     * @param acceptedConnections how many connections/clients the link has accepted so far
     * @param onChange called (on the caller's thread, outside any lock) after every change
     */
    public FaultRegistry(String protocol, Set<FaultKind> accepted, LinkJournal journal, long linkSeed,
            LongSupplier acceptedConnections, Runnable onChange) {
        this.protocol = protocol;
        this.accepted = Set.copyOf(accepted);
        this.journal = journal;
        this.linkSeed = linkSeed;
        this.acceptedConnections = acceptedConnections;
        this.onChange = onChange;
    }

    /** Returns the active faults, in injection order. Never modify the array. */
    public ActiveFault[] snapshot() {
        return active;
    }

    /** Returns the active faults as values. */
    public List<Fault> faults() {
        return Arrays.stream(active).map(ActiveFault::fault).toList();
    }

    /**
     * Adds {@code fault} and returns the handle that removes it.
     *
     * @throws IllegalArgumentException if the link's protocol does not accept the fault's kind
     */
    public FaultHandle add(Fault fault) {
        Objects.requireNonNull(fault, "fault");
        if (!accepted.contains(fault.kind())) {
            throw new IllegalArgumentException("fault " + fault + " does not apply to " + protocol + " links; "
                    + protocol + " links accept " + Arrays.stream(FaultKind.values()).filter(accepted::contains)
                            .map(k -> k.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
        ActiveFault added;
        synchronized (this) {
            long index = ++injections;
            added = new ActiveFault(fault, index, Seeds.derive(linkSeed, index), System.nanoTime(),
                    acceptedConnections.getAsLong());
            ActiveFault[] next = Arrays.copyOf(active, active.length + 1);
            next[next.length - 1] = added;
            active = next;
        }
        journal.add(LinkEvent.Type.FAULT_INJECTED, 0, fault.toString());
        onChange.run();
        return new Handle(added);
    }

    /** Removes every fault. */
    public void clear() {
        ActiveFault[] removed;
        synchronized (this) {
            removed = active;
            active = new ActiveFault[0];
        }
        for (ActiveFault f : removed) {
            journal.add(LinkEvent.Type.FAULT_REMOVED, 0, f.fault() + " (cleared)");
        }
        onChange.run();
    }

    /** Forgets every fault as its link closes: nothing is journalled and nobody is told. */
    public synchronized void discardAll() {
        active = new ActiveFault[0];
    }

    private boolean remove(ActiveFault fault) {
        synchronized (this) {
            List<ActiveFault> next = new ArrayList<>(Arrays.asList(active));
            if (!next.remove(fault)) {
                return false;
            }
            active = next.toArray(new ActiveFault[0]);
        }
        journal.add(LinkEvent.Type.FAULT_REMOVED, 0, fault.fault().toString());
        onChange.run();
        return true;
    }

    private boolean contains(ActiveFault fault) {
        for (ActiveFault f : active) {
            if (f == fault) {
                return true;
            }
        }
        return false;
    }

    private final class Handle implements FaultHandle {
        private final ActiveFault fault;

        Handle(ActiveFault fault) {
            this.fault = fault;
        }

        @Override
        public Fault fault() {
            return fault.fault();
        }

        @Override
        public boolean isActive() {
            return contains(fault);
        }

        @Override
        public void remove() {
            FaultRegistry.this.remove(fault);
        }

        @Override
        public String toString() {
            return fault.fault() + (isActive() ? " (active)" : " (removed)");
        }
    }
}
