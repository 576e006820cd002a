package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.link.FaultState;

/**
 * The base of every fault's stage: its {@link FaultState} on the connection, the connection's
 * {@link StageContext}, and whether the fault applies to this connection at all.
 */
public abstract class FaultStage extends FaultState implements Stage {

    protected final StageContext connection;
    /** Whether the fault applies to this connection: picked by its {@code onConnection} trigger and, for whole-connection faults, chosen by one draw. */
    protected final boolean applies;

    /**
     * @param perConnection true for a fault that draws its probability once per connection; false for
     *     one that draws per segment or cut (its on-connection trigger still applies)
     */
    protected FaultStage(ActiveFault fault, StageContext connection, boolean perConnection) {
        super(fault, connection.id());
        this.connection = connection;
        this.applies = perConnection ? fault.chooses(connection.id()) : fault.picks(connection.id());
    }

    /** The connection's age at {@code now}. */
    protected final long age(long now) {
        return now - connection.acceptedAt();
    }

    /**
     * For a fault acting on the writes of {@code direction}: true once its triggers have fired. While
     * its byte trigger is still ahead, the allowance is limited so that the trigger is reached
     * exactly, never passed ({@code reset().afterBytes(1000)} lets exactly 1,000 bytes through).
     */
    protected final boolean acting(Direction direction, Allowance allowance, long now) {
        if (!applies || !scope().covers(direction)) {
            return false;
        }
        long ahead = scope().afterBytes() - connection.forwarded(direction);
        if (ahead > 0) {
            allowance.limit(ahead);
            return false;
        }
        return age(now) >= afterNanos();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + fault() + " on #" + connection() + "]";
    }
}
