package dev.loopback;

import java.time.Duration;
import java.util.Objects;

/**
 * Dials the upstream late (TCP): made by {@link Fault#slowOpen(Duration)}. The client's
 * {@code connect} succeeds at once (the kernel completes the handshake), but the link dials the
 * server only {@link #delay()} after it accepted the connection; the client's first bytes wait in
 * socket buffers meanwhile. A client that closes or resets before the dial is never dialled. It
 * acts before a connection carries any byte, so it takes no
 * direction and no byte or age trigger (they are refused here); probability and
 * {@link #onConnection(int)} choose the connections.
 *
 * @param delay positive, at most {@link Fault#MAX_DURATION}
 * @param scope probability and {@code onConnection}; both directions, no byte or age trigger
 */
public record SlowOpen(Duration delay, FaultScope scope) implements TcpFault, ScopedFault<SlowOpen> {

    /**
     * Checks every option.
     *
     * @throws IllegalArgumentException for a bad delay, a direction, or a byte or age trigger
     */
    public SlowOpen {
        Checks.duration("slowOpen delay", delay, false);
        Objects.requireNonNull(scope, "scope");
        if (scope.direction() != Direction.BOTH || scope.afterBytes() != 0 || !scope.after().isZero()) {
            throw new IllegalArgumentException("slowOpen(...) acts when a connection is accepted, before any byte"
                    + " flows: a direction, afterBytes or after would have no effect (got " + scope + ")");
        }
    }

    @Override
    public SlowOpen withScope(FaultScope scope) {
        return new SlowOpen(delay, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.SLOW_OPEN;
    }

    @Override
    public String toString() {
        return FaultText.of("slowOpen(" + FaultText.duration(delay) + ")", scope, false);
    }
}
