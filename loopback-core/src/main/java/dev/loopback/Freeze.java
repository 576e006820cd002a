package dev.loopback;

import java.util.Objects;

/**
 * Holds data in each covered direction until the fault is removed (TCP, UDP): made by
 * {@link Fault#freeze()}. Connections stay open; reads time out. Held TCP bytes count against the
 * link's buffer bound, so the sender eventually blocks; held UDP datagrams beyond the bound are
 * dropped and counted. When the fault is removed everything held is delivered, in order. A TCP
 * connection accepted while a freeze acts on it from its start (no byte or age trigger) is not
 * dialled until the freeze is removed, and never if its client closes first. A
 * probability below 1 draws once per TCP connection, or once per UDP client mapping and direction.
 *
 * @param scope direction, probability and triggers
 */
public record Freeze(FaultScope scope) implements TcpFault, UdpFault, ScopedFault<Freeze> {

    /** Checks the scope. */
    public Freeze {
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public Freeze withScope(FaultScope scope) {
        return new Freeze(scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.FREEZE;
    }

    @Override
    public String toString() {
        return FaultText.of("freeze()", scope, false);
    }
}
