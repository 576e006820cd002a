package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.Fault;
import dev.loopback.internal.fault.ActiveFault;
import dev.loopback.internal.random.Seeds;
import java.util.SplittableRandom;

/**
 * What one injected fault remembers about one flow (client mapping and direction): its random
 * stream, derived from the fault's seed, the client number and the direction, so its decisions
 * depend only on the datagrams of that flow; its once-per-flow draw; its Gilbert-Elliott state;
 * its reorder counter. Used by the loop thread only.
 */
final class FaultState {

    final ActiveFault active;
    final Fault fault;
    private final long clientId;
    private final Direction direction;
    private SplittableRandom random;
    private int drawnOnce = -1;
    private boolean bad;
    private int reorderCounter;
    boolean journalled;

    FaultState(ActiveFault active, long clientId, Direction direction) {
        this.active = active;
        this.fault = active.fault();
        this.clientId = clientId;
        this.direction = direction;
    }

    SplittableRandom random() {
        if (random == null) {
            random = Seeds.random(Seeds.derive(Seeds.derive(active.seed(), clientId), direction.ordinal() + 1L));
        }
        return random;
    }

    /** A per-datagram Bernoulli draw; certain outcomes (p = 0 or 1) consume no randomness. */
    boolean draw(double p) {
        if (p >= 1) {
            return true;
        }
        return p > 0 && random().nextDouble() < p;
    }

    /** A draw made once for the whole flow (blackhole, freeze) and remembered. */
    boolean once() {
        if (drawnOnce < 0) {
            drawnOnce = draw(fault.probability()) ? 1 : 0;
        }
        return drawnOnce == 1;
    }

    /**
     * Whether a loss fault loses the next datagram. Bernoulli: one draw. Gilbert-Elliott, as
     * netem's {@code loss_gilbert_elliott}: the chain first draws its transition, then the loss is
     * drawn with the loss probability of the state the datagram found the chain in.
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

    /**
     * netem's reorder decision: the datagrams inside the gap are delayed (counted); once
     * {@code gap - 1} have been, the next one is sent at once with probability p (and the count
     * restarts), or delayed too.
     */
    boolean reorderNow() {
        if (reorderCounter < fault.gap() - 1 || !draw(fault.probability())) {
            reorderCounter++;
            return false;
        }
        reorderCounter = 0;
        return true;
    }
}
