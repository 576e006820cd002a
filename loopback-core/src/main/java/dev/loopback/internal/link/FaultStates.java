package dev.loopback.internal.link;

import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The states of a link's active faults on one connection or client mapping, index for index with
 * the registry's snapshot: a fault keeps its state while it stays active, a new fault gets a new
 * one, a removed fault's state is dropped. Rebuilt only when the snapshot changes. Used by the
 * engine thread of its connection or mapping only.
 *
 * @param <S> the state type
 */
public final class FaultStates<S extends FaultState> {

    private final Function<ActiveFault, S> factory;
    private final IntFunction<S[]> arrays;
    private ActiveFault[] seen = new ActiveFault[0];
    private S[] states;

    /**
     * @param factory makes the state of a fault new to this connection
     * @param arrays makes arrays of states ({@code Stage[]::new})
     */
    public FaultStates(Function<ActiveFault, S> factory, IntFunction<S[]> arrays) {
        this.factory = factory;
        this.arrays = arrays;
        this.states = arrays.apply(0);
    }

    /** Returns the states of {@code faults} (a registry snapshot), index for index. */
    public S[] of(ActiveFault[] faults) {
        if (faults != seen) {
            S[] next = arrays.apply(faults.length);
            for (int i = 0; i < faults.length; i++) {
                S kept = existing(faults[i]);
                next[i] = kept != null ? kept : factory.apply(faults[i]);
            }
            seen = faults;
            states = next;
        }
        return states;
    }

    @SuppressWarnings("ReferenceEquality") // the same registered instance, not an equal fault
    private S existing(ActiveFault fault) {
        for (S state : states) {
            if (state.active() == fault) {
                return state;
            }
        }
        return null;
    }
}
