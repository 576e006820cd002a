package dev.loopback;

import java.util.Objects;

/**
 * Closes a connection with FIN after a number of bytes (TCP): made by {@link Fault#cutAfter(long)}.
 * The peer reads exactly {@link #bytes()} bytes in the covered direction (either one, for both),
 * then EOF: the link sends FIN both ways, drops what it still holds and discards further input
 * until each side closes. Its kind is {@link FaultKind#CUT}.
 *
 * @param bytes the bytes forwarded before the cut, zero or positive
 * @param scope direction, probability and triggers
 */
public record CutAfterBytes(long bytes, FaultScope scope) implements TcpFault, ScopedFault<CutAfterBytes> {

    /** Checks every option; throws {@link IllegalArgumentException} naming a bad one. */
    public CutAfterBytes {
        Checks.atLeast("cutAfter bytes", bytes, 0);
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public CutAfterBytes withScope(FaultScope scope) {
        return new CutAfterBytes(bytes, scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.CUT;
    }

    @Override
    public String toString() {
        return FaultText.of("cutAfter(" + bytes + ")", scope, false);
    }
}
