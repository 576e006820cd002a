package dev.loopback.internal.tcp.stage;

import dev.loopback.SlowOpen;
import dev.loopback.internal.link.ActiveFault;

/** {@link SlowOpen}: the upstream of a chosen connection is dialled only the delay after the accept. */
final class SlowOpenStage extends FaultStage {

    private final SlowOpen slowOpen;

    SlowOpenStage(ActiveFault fault, StageContext connection, SlowOpen slowOpen) {
        super(fault, connection, true);
        this.slowOpen = slowOpen;
    }

    @Override
    public long dialAt(long acceptedAt) {
        if (!applies) {
            return acceptedAt;
        }
        connection.actedOnce(this, null, "upstream dialled after " + slowOpen.delay().toMillis() + " ms");
        return acceptedAt + slowOpen.delay().toNanos();
    }
}
