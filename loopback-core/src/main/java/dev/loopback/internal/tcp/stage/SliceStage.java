package dev.loopback.internal.tcp.stage;

import dev.loopback.Direction;
import dev.loopback.Slice;
import dev.loopback.internal.link.ActiveFault;

/**
 * {@link Slice}: cuts each direction's stream at positions drawn in stream order — pieces of
 * {@code averageBytes ± variation} bytes, each cut made or skipped by a draw of the fault's
 * probability — writes each piece on its own and waits the slice delay before the next. The
 * positions depend on the seed and the bytes only, not on how reads split the stream.
 */
final class SliceStage extends FaultStage {

    private final Slice slice;
    private final long delayNanos;
    private final Cuts toServer = new Cuts();
    private final Cuts toClient = new Cuts();

    SliceStage(ActiveFault fault, StageContext connection, Slice slice) {
        super(fault, connection, false);
        this.slice = slice;
        this.delayNanos = slice.delay().toNanos();
    }

    @Override
    public void allow(Direction direction, Allowance allowance, long now) {
        if (!acting(direction, allowance, now) || slice.probability() <= 0) {
            return;
        }
        Cuts cuts = cuts(direction);
        long forwarded = connection.forwarded(direction);
        if (cuts.next < 0) {
            cuts.next = forwarded;
            advance(direction, cuts);
        }
        if (cuts.pauseUntil != 0 && cuts.pauseUntil - now > 0) {
            allowance.waitUntil(cuts.pauseUntil);
            return;
        }
        allowance.limit(cuts.next - forwarded);
    }

    @Override
    public void wrote(Direction direction, long bytes, long now) {
        Cuts cuts = cuts(direction);
        if (cuts.next >= 0 && connection.forwarded(direction) == cuts.next) {
            cuts.pauseUntil = now + delayNanos;
            connection.acted(this, direction, "sliced");
            advance(direction, cuts);
        }
    }

    /** Moves to the next cut that is made: pieces are drawn, and each cut drawn, in stream order. */
    private void advance(Direction direction, Cuts cuts) {
        do {
            long variation = slice.variation();
            cuts.next += slice.averageBytes() + (variation == 0 ? 0 : random(direction).nextLong(-variation, variation + 1));
        } while (!draw(direction, slice.probability()));
    }

    private Cuts cuts(Direction direction) {
        return direction == Direction.TO_SERVER ? toServer : toClient;
    }

    /** One direction's next cut position (-1 before the first) and the end of the pause after the last. */
    private static final class Cuts {
        long next = -1;
        long pauseUntil;
    }
}
