package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.Fault;
import dev.loopback.internal.fault.ActiveFault;
import dev.loopback.internal.random.Seeds;
import java.util.SplittableRandom;

/**
 * What one injected fault remembers about one flow (client mapping and direction): its random
 * stream, derived from the fault's seed, the client number and the direction, so its decisions
 * depend only on the datagrams of that flow, and its once-per-flow draw. {@link Loss} and
 * {@link Reorder} keep more. Used by the loop thread only.
 */
class FaultState {

    final ActiveFault active;
    final Fault fault;
    private final long clientId;
    private final Direction direction;
    private SplittableRandom random;
    private int drawnOnce = -1;
    boolean journalled;

    /** Returns the state for {@code active} on one flow, of the class its kind needs. */
    static FaultState of(ActiveFault active, long clientId, Direction direction) {
        return switch (active.fault().kind()) {
            case LOSS -> new Loss(active, clientId, direction);
            case REORDER -> new Reorder(active, clientId, direction);
            default -> new FaultState(active, clientId, direction);
        };
    }

    FaultState(ActiveFault active, long clientId, Direction direction) {
        this.active = active;
        this.fault = active.fault();
        this.clientId = clientId;
        this.direction = direction;
    }

    /** Whether the fault's direction and triggers (connection number, bytes, age) select a datagram of {@code flow} now. */
    final boolean applies(Flow flow, long now) {
        if (!fault.direction().covers(flow.direction)) {
            return false;
        }
        if (fault.onConnection() != 0 && flow.client.id != active.connectionsBefore() + fault.onConnection()) {
            return false;
        }
        if (flow.bytesSeen < fault.afterBytes()) {
            return false;
        }
        return fault.after().isZero() || now - flow.client.createdNanos >= fault.after().toNanos();
    }

    final SplittableRandom random() {
        if (random == null) {
            random = Seeds.random(Seeds.derive(Seeds.derive(active.seed(), clientId), direction.ordinal() + 1L));
        }
        return random;
    }

    /** A per-datagram Bernoulli draw; certain outcomes (p = 0 or 1) consume no randomness. */
    final boolean draw(double p) {
        if (p >= 1) {
            return true;
        }
        return p > 0 && random().nextDouble() < p;
    }

    /** A draw made once for the whole flow (blackhole, freeze) and remembered. */
    final boolean once() {
        if (drawnOnce < 0) {
            drawnOnce = draw(fault.probability()) ? 1 : 0;
        }
        return drawnOnce == 1;
    }
}
