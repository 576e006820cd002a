package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.internal.fault.ActiveFault;
import java.util.SplittableRandom;

/** A loss fault on one flow: Bernoulli, or a Gilbert-Elliott chain and its state. Loop thread only. */
final class Loss extends FaultState {

    private boolean bad;

    Loss(ActiveFault active, long clientId, Direction direction) {
        super(active, clientId, direction);
    }

    /**
     * Whether the next datagram is lost. Bernoulli: one draw. Gilbert-Elliott, as netem's
     * {@code loss_gilbert_elliott}: the chain first draws its transition, then the loss is drawn
     * with the loss probability of the state the datagram found the chain in.
     */
    boolean lose() {
        double[] model = fault.lossModel();
        if (model.length == 1) {
            return draw(model[0]);
        }
        if (!draw(fault.probability())) {
            return false;
        }
        SplittableRandom r = random();
        if (bad) {
            if (r.nextDouble() < model[1]) {
                bad = false;
            }
            return r.nextDouble() < model[2];
        }
        if (r.nextDouble() < model[0]) {
            bad = true;
        }
        return r.nextDouble() < model[3];
    }
}
