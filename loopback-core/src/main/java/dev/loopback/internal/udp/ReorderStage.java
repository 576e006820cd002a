package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.Reorder;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.link.FaultState;

/** A reorder fault on one client mapping: netem's gap counter per direction. The effect is in {@link DelayStage}. Loop thread only. */
final class ReorderStage extends FaultState {

    private final int gap;
    private int toServer;
    private int toClient;

    ReorderStage(ActiveFault active, long clientId) {
        super(active, clientId);
        this.gap = ((Reorder) active.fault()).gap();
    }

    /**
     * netem's reorder decision: the datagrams inside the gap are delayed (counted); once
     * {@code gap - 1} have been, the next one is sent at once with probability p (and the count
     * restarts), or delayed too.
     */
    boolean overtakes(Direction direction) {
        int counter = direction == Direction.TO_SERVER ? toServer : toClient;
        boolean overtakes = counter >= gap - 1 && draw(direction, fault().probability());
        counter = overtakes ? 0 : counter + 1;
        if (direction == Direction.TO_SERVER) {
            toServer = counter;
        } else {
            toClient = counter;
        }
        return overtakes;
    }
}
