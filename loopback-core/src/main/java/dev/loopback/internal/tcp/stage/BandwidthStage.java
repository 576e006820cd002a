package dev.loopback.internal.tcp.stage;

import dev.loopback.Bandwidth;
import dev.loopback.Direction;
import dev.loopback.internal.link.ActiveFault;

/**
 * {@link Bandwidth}: writes take tokens from a {@link TokenBucket} per direction — the
 * connection's own, or one shared by every connection of the link — and wait for the bucket to
 * refill when it is empty.
 */
final class BandwidthStage extends FaultStage {

    private final Bandwidth bandwidth;
    private TokenBucket toServer;
    private TokenBucket toClient;

    BandwidthStage(ActiveFault fault, StageContext connection, Bandwidth bandwidth) {
        super(fault, connection, true);
        this.bandwidth = bandwidth;
    }

    @Override
    public void allow(Direction direction, Allowance allowance, long now) {
        if (!acting(direction, allowance, now) || allowance.bytes() == 0) {
            return;
        }
        TokenBucket bucket = bucket(direction, now);
        long available = bucket.available(now);
        if (available <= 0) {
            allowance.waitUntil(bucket.readyAt(allowance.bytes(), now));
        } else {
            allowance.limit(available);
        }
    }

    @Override
    public void wrote(Direction direction, long bytes, long now) {
        if (applies && scope().covers(direction) && connection.forwarded(direction) - bytes >= scope().afterBytes()
                && age(now) >= afterNanos()) {
            bucket(direction, now).take(bytes);
            connection.acted(this, direction, "limited");
        }
    }

    private TokenBucket bucket(Direction direction, long now) {
        if (bandwidth.isShared()) {
            return connection.sharedBucket(active(), direction, now);
        }
        if (direction == Direction.TO_SERVER) {
            if (toServer == null) {
                toServer = new TokenBucket(bandwidth.bytesPerSecond(), now);
            }
            return toServer;
        }
        if (toClient == null) {
            toClient = new TokenBucket(bandwidth.bytesPerSecond(), now);
        }
        return toClient;
    }
}
