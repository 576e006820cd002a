package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.Partition;

/**
 * {@code link.partition(p)} on one connection: while the link is partitioned, the directions the
 * partition cuts hold their data and a new connection is not dialled; healing the link reconsiders
 * every connection, which then flows on in order. A {@link Partition#drop()} partition also resets
 * the connection both ways once it has lasted the partition's give-up time for it (counted from
 * when the partition began, or from the accept if that was later), as a TCP stack gives up
 * retransmitting. A connection includes this stage only while its link is partitioned, and gets a
 * new one whenever the link is partitioned anew.
 */
public final class PartitionStage implements Stage {

    private final Partition partition;
    private final StageContext connection;
    /** When a drop partition gives up on this connection; {@link #NEVER} for hold. */
    private final long giveUpAt;

    /**
     * @param since {@link System#nanoTime()} when the link was partitioned with {@code partition}
     */
    public PartitionStage(Partition partition, long since, StageContext connection) {
        this.partition = partition;
        this.connection = connection;
        long from = connection.acceptedAt() - since > 0 ? connection.acceptedAt() : since;
        this.giveUpAt = partition.giveUpAfter().map(d -> from + d.toNanos()).orElse(NEVER);
    }

    @Override
    public long dialAt(long acceptedAt) {
        return NEVER;
    }

    @Override
    public long check(long now) {
        if (giveUpAt == NEVER) {
            return NEVER;
        }
        if (now - giveUpAt < 0) {
            return giveUpAt;
        }
        connection.reset(true, true, "partition " + partition + " gave up after "
                + partition.giveUpAfter().orElseThrow().toMillis() + " ms, as a TCP stack gives up retransmitting");
        return NEVER;
    }

    @Override
    public void allow(Direction direction, Allowance allowance, long now) {
        if (partition.direction().covers(direction)) {
            allowance.hold();
        }
    }
}
