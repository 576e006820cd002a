package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.internal.link.ActiveFault;

/**
 * A fault that acts once on the whole connection when it is old enough and has carried enough
 * bytes (reset, cut): it checks at once on a new connection, asks to be checked again at its age,
 * and stops the writes of its covered directions exactly at its byte trigger, where it acts.
 */
abstract class TriggeredStage extends FaultStage {

    private final long bytes;
    private final long ageNanos;

    /**
     * @param bytes the bytes a covered direction forwards before the stage acts
     * @param ageNanos the connection's age at which it acts at the earliest
     */
    TriggeredStage(ActiveFault fault, StageContext connection, long bytes, long ageNanos) {
        super(fault, connection, true);
        this.bytes = bytes;
        this.ageNanos = ageNanos;
    }

    /** Acts on the connection: both triggers have fired. */
    abstract void act();

    @Override
    public final long check(long now) {
        if (!applies) {
            return NEVER;
        }
        long due = connection.acceptedAt() + ageNanos;
        if (due - now > 0) {
            return due;
        }
        if (reached()) {
            act();
        }
        return NEVER; // a write reaching the byte trigger checks again
    }

    /** From the stage's age on, limits the writes of a covered direction so that they stop exactly at its byte trigger. */
    @Override
    public final void allow(Direction direction, Allowance allowance, long now) {
        if (applies && scope().covers(direction) && age(now) >= ageNanos) {
            long ahead = bytes - connection.forwarded(direction);
            if (ahead >= 0) {
                allowance.limit(ahead);
            }
        }
    }

    /** True once a covered direction has forwarded the trigger's bytes. */
    private boolean reached() {
        return (scope().covers(Direction.TO_SERVER) && connection.forwarded(Direction.TO_SERVER) >= bytes)
                || (scope().covers(Direction.TO_CLIENT) && connection.forwarded(Direction.TO_CLIENT) >= bytes);
    }
}
