package dev.loopback.internal.tcp;

import dev.loopback.Direction;
import dev.loopback.Fault;
import dev.loopback.FaultKind;
import dev.loopback.internal.fault.ActiveFault;
import dev.loopback.internal.random.Seeds;
import java.util.SplittableRandom;

/**
 * One fault on one connection: whether it applies there (its connection trigger and, for faults
 * that act on whole connections, one probability draw), its per-direction random streams and
 * token buckets. Every draw comes from the fault's seed and the connection id. Loop thread only.
 */
final class FaultState {

    final boolean applies;
    boolean journaled;
    private final ActiveFault fault;
    private final long connection;
    private SplittableRandom toServer;
    private SplittableRandom toClient;
    private TokenBucket bucketToServer;
    private TokenBucket bucketToClient;

    FaultState(ActiveFault af, long connection) {
        this.fault = af;
        this.connection = connection;
        Fault f = af.fault();
        boolean chosen = f.onConnection() == 0 || connection == af.connectionsBefore() + f.onConnection();
        this.applies = chosen && (perChunk(f.kind()) || draw(af.randomFor(connection), f.probability()));
    }

    /** Faults that draw per chunk rather than per connection. */
    static boolean perChunk(FaultKind kind) {
        return kind == FaultKind.LATENCY || kind == FaultKind.LOSS || kind == FaultKind.SLICE;
    }

    /** True with probability {@code p}; no draw at all for 0 and 1. */
    static boolean draw(SplittableRandom random, double p) {
        if (p >= 1) {
            return true;
        }
        if (p <= 0) {
            return false;
        }
        return random.nextDouble() < p;
    }

    /** The random stream of this fault, connection and direction. */
    SplittableRandom random(Direction direction) {
        if (direction == Direction.TO_SERVER) {
            if (toServer == null) {
                toServer = stream(1);
            }
            return toServer;
        }
        if (toClient == null) {
            toClient = stream(2);
        }
        return toClient;
    }

    private SplittableRandom stream(long label) {
        return Seeds.random(Seeds.derive(Seeds.derive(fault.seed(), connection), label));
    }

    /** This connection's own bucket for a per-connection bandwidth fault. */
    TokenBucket bucket(Direction direction, long now) {
        if (direction == Direction.TO_SERVER) {
            if (bucketToServer == null) {
                bucketToServer = new TokenBucket(fault.fault().bytesPerSecond(), now);
            }
            return bucketToServer;
        }
        if (bucketToClient == null) {
            bucketToClient = new TokenBucket(fault.fault().bytesPerSecond(), now);
        }
        return bucketToClient;
    }
}
