package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.internal.fault.ActiveFault;

/** A reorder fault on one flow: netem's gap counter. The effect is in {@link Delay}. Loop thread only. */
final class Reorder extends FaultState {

    private int counter;

    Reorder(ActiveFault active, long clientId, Direction direction) {
        super(active, clientId, direction);
    }

    /**
     * netem's reorder decision: the datagrams inside the gap are delayed (counted); once
     * {@code gap - 1} have been, the next one is sent at once with probability p (and the count
     * restarts), or delayed too.
     */
    boolean overtakes() {
        if (counter < fault.gap() - 1 || !draw(fault.probability())) {
            counter++;
            return false;
        }
        counter = 0;
        return true;
    }
}
