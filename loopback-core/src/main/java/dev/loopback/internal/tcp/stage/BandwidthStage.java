package dev.loopback.internal.tcp.stage;

import dev.loopback.Bandwidth;
import dev.loopback.Direction;
import dev.loopback.internal.link.ActiveFault;
import org.jspecify.annotations.Nullable;

/**
 * {@link Bandwidth}: writes take tokens from a {@link TokenBucket} per direction and wait for it to
 * refill when it is empty. Unshared, the bucket is the connection's own, at the fault's rate.
 * Shared, the connection's own bucket refills at its fair share — the rate divided by the
 * connections drawing on the fault now ({@link SharedBandwidth}) — and every write also takes from
 * the link's shared bucket, so connections split the rate evenly and never exceed it together.
 */
final class BandwidthStage extends FaultStage {

    private final Bandwidth bandwidth;
    private TokenBucket toServer;
    private TokenBucket toClient;
    // The link's buckets of a shared bandwidth, looked up once per direction (they live as long as the fault).
    private @Nullable SharedBandwidth sharedToServer;
    private @Nullable SharedBandwidth sharedToClient;

    BandwidthStage(ActiveFault fault, StageContext connection, Bandwidth bandwidth) {
        super(fault, connection, true);
        this.bandwidth = bandwidth;
    }

    @Override
    public void allow(Direction direction, Allowance allowance, long now) {
        if (!acting(direction, allowance, now) || allowance.bytes() == 0) {
            return;
        }
        TokenBucket own = own(direction, now);
        long available = own.available(now);
        SharedBandwidth shared = null;
        if (bandwidth.isShared()) {
            shared = shared(direction, now);
            own.rate(shared.fairRate(own, now), now);
            available = Math.min(available, shared.available(now));
        }
        if (available > 0) {
            allowance.limit(available);
            return;
        }
        long at = own.readyAt(allowance.bytes(), now);
        if (shared != null) {
            long sharedAt = shared.readyAt(allowance.bytes(), now);
            at = sharedAt - at > 0 ? sharedAt : at;
        }
        allowance.waitUntil(at);
    }

    @Override
    public void wrote(Direction direction, long bytes, long now) {
        if (applies && scope().covers(direction) && connection.forwarded(direction) - bytes >= scope().afterBytes()
                && age(now) >= afterNanos()) {
            own(direction, now).take(bytes);
            if (bandwidth.isShared()) {
                shared(direction, now).take(bytes);
            }
            connection.acted(this, direction, "limited");
        }
    }

    private TokenBucket own(Direction direction, long now) {
        if (direction == Direction.TO_SERVER) {
            if (toServer == null) {
                toServer = newBucket(now);
            }
            return toServer;
        }
        if (toClient == null) {
            toClient = newBucket(now);
        }
        return toClient;
    }

    private SharedBandwidth shared(Direction direction, long now) {
        if (direction == Direction.TO_SERVER) {
            if (sharedToServer == null) {
                sharedToServer = connection.sharedBandwidth(active(), direction, now);
            }
            return sharedToServer;
        }
        if (sharedToClient == null) {
            sharedToClient = connection.sharedBandwidth(active(), direction, now);
        }
        return sharedToClient;
    }

    private TokenBucket newBucket(long now) {
        return bandwidth.isShared()
                ? new TokenBucket(bandwidth.bytesPerSecond(), now, SharedBandwidth.OWN_CATCH_UP_SECONDS)
                : new TokenBucket(bandwidth.bytesPerSecond(), now);
    }
}
