package dev.loopback.internal.fault;

import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.internal.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The faults active on one link. Readers (the engine, on every chunk or datagram) take a
 * lock-free {@link #snapshot()}; writers (the test thread) copy on write and then call the link's
 * change listener so the engine can act on live connections without the writer waiting for it.
 */
public final class FaultRegistry {

    private final long linkSeed;
    private final LongSupplier acceptedConnections;
    private final Runnable onChange;
    private volatile ActiveFault[] active = new ActiveFault[0];
    private long injections;

    /**
     * @param linkSeed the link's seed; fault {@code i} gets {@code Seeds.derive(linkSeed, i)}
     * @param acceptedConnections how many connections/clients the link has accepted so far
     * @param onChange called (on the caller's thread, outside any lock) after every change
     */
    public FaultRegistry(long linkSeed, LongSupplier acceptedConnections, Runnable onChange) {
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

    /** Adds {@code fault} and returns the handle that removes it. */
    public FaultHandle add(Fault fault) {
        Objects.requireNonNull(fault, "fault");
        ActiveFault added;
        synchronized (this) {
            long index = ++injections;
            added = new ActiveFault(fault, index, Seeds.derive(linkSeed, index), System.nanoTime(),
                    acceptedConnections.getAsLong());
            ActiveFault[] next = Arrays.copyOf(active, active.length + 1);
            next[next.length - 1] = added;
            active = next;
        }
        onChange.run();
        return new Handle(added);
    }

    /** Removes every fault. */
    public void clear() {
        synchronized (this) {
            active = new ActiveFault[0];
        }
        onChange.run();
    }

    private boolean remove(ActiveFault fault) {
        synchronized (this) {
            List<ActiveFault> next = new ArrayList<>(Arrays.asList(active));
            if (!next.remove(fault)) {
                return false;
            }
            active = next.toArray(new ActiveFault[0]);
        }
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
