package dev.loopback.internal.link;

import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.LinkEvent;
import dev.loopback.internal.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The faults active on one link. Readers (the engine, on every segment or datagram) take a
 * lock-free {@link #snapshot()}; writers (any thread) copy on write, journal, then call the link's
 * change listener so the engine can act on live connections without the writer waiting for data.
 * An injection whose listener throws is taken back before the exception reaches the caller, so
 * {@code inject} is all or nothing.
 */
final class FaultRegistry {

    private final LinkJournal journal;
    private final long linkSeed;
    private final LongSupplier acceptedConnections;
    private final Runnable onChange;
    private volatile ActiveFault[] active = new ActiveFault[0];
    private long injections;

    /**
     * @param journal the link's journal, which records every injection and removal
     * @param linkSeed the link's seed; fault {@code i} gets {@code Seeds.derive(linkSeed, i)}
     * @param acceptedConnections how many connections/clients the link has accepted so far
     * @param onChange called on the caller's thread, outside any lock, after every change
     */
    FaultRegistry(LinkJournal journal, long linkSeed, LongSupplier acceptedConnections, Runnable onChange) {
        this.journal = journal;
        this.linkSeed = linkSeed;
        this.acceptedConnections = acceptedConnections;
        this.onChange = onChange;
    }

    /** Returns the active faults, in injection order. Never modify the array. */
    ActiveFault[] snapshot() {
        return active;
    }

    /** Adds {@code fault} and returns the handle that removes it; if the change listener throws, the fault is taken back. */
    FaultHandle add(Fault fault) {
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
        try {
            onChange.run();
        } catch (RuntimeException | Error e) {
            if (unpublish(added)) {
                journal.add(LinkEvent.Type.FAULT_REMOVED, 0, fault + " (injection failed: " + e + ")");
                try {
                    onChange.run();
                } catch (RuntimeException | Error again) {
                    e.addSuppressed(again);
                }
            }
            throw e;
        }
        return new Handle(added);
    }

    /** Removes every fault. */
    void clear() {
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
    synchronized void discardAll() {
        active = new ActiveFault[0];
    }

    private synchronized boolean unpublish(ActiveFault fault) {
        List<ActiveFault> next = new ArrayList<>(Arrays.asList(active));
        if (!next.remove(fault)) {
            return false;
        }
        active = next.toArray(new ActiveFault[0]);
        return true;
    }

    @SuppressWarnings("ReferenceEquality") // the same registered instance, not an equal fault
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
            if (unpublish(fault)) {
                journal.add(LinkEvent.Type.FAULT_REMOVED, 0, fault.fault().toString());
                onChange.run();
            }
        }

        @Override
        public String toString() {
            return fault.fault() + (isActive() ? " (active)" : " (removed)");
        }
    }
}
