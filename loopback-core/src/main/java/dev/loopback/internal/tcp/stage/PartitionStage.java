package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;

/**
 * {@code link.partition()}: while the link is partitioned, every connection of it holds its data
 * both ways and a new connection is not dialled; healing the link reconsiders every connection,
 * which then flows on in order. A connection includes this stage only while its link is partitioned.
 */
public final class PartitionStage implements Stage {

    /** The one instance: the stage has no state of its own. */
    public static final PartitionStage INSTANCE = new PartitionStage();

    private PartitionStage() {}

    @Override
    public long dialAt(long acceptedAt) {
        return NEVER;
    }

    @Override
    public void allow(Direction direction, Allowance allowance, long now) {
        allowance.hold();
    }
}
