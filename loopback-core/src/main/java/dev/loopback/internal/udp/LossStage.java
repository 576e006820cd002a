package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.GilbertElliott;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.link.FaultState;
import java.util.SplittableRandom;

/**
 * The loss faults on one client mapping: {@link dev.loopback.Loss} (Bernoulli) and
 * {@link GilbertElliott}, whose chain keeps its state per direction. Loop thread only.
 */
final class LossStage extends FaultState {

    private boolean badToServer;
    private boolean badToClient;

    LossStage(ActiveFault active, long clientId) {
        super(active, clientId);
    }

    /**
     * Whether the next datagram of {@code direction} is lost. Bernoulli: one draw. Gilbert-Elliott,
     * as netem's {@code loss_gilbert_elliott}: the chain first draws its transition, then the loss
     * is drawn with the loss probability of the state the datagram found the chain in.
     */
    boolean lose(Direction direction) {
        if (!draw(direction, fault().probability())) {
            return false;
        }
        if (!(fault() instanceof GilbertElliott chain)) {
            return true;
        }
        SplittableRandom r = random(direction);
        boolean bad = direction == Direction.TO_SERVER ? badToServer : badToClient;
        boolean lost;
        if (bad) {
            bad = r.nextDouble() >= chain.r();
            lost = r.nextDouble() < chain.oneMinusH();
        } else {
            bad = r.nextDouble() < chain.p();
            lost = r.nextDouble() < chain.oneMinusK();
        }
        if (direction == Direction.TO_SERVER) {
            badToServer = bad;
        } else {
            badToClient = bad;
        }
        return lost;
    }
}
