package dev.loopback;

import java.util.Objects;

/**
 * Discards data in each covered direction (TCP, UDP): made by {@link Fault#blackhole()}. TCP
 * connections are accepted and stay open while what they send is dropped, so reads time out and
 * the sender is never blocked; bytes sent after removal flow again. UDP datagrams are dropped and
 * counted. A probability below 1 draws once per TCP connection, or once per UDP client mapping and
 * direction.
 *
 * @param scope direction, probability and triggers
 */
public record Blackhole(FaultScope scope) implements TcpFault, UdpFault, ScopedFault<Blackhole> {

    /** Checks the scope. */
    public Blackhole {
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public Blackhole withScope(FaultScope scope) {
        return new Blackhole(scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.BLACKHOLE;
    }

    @Override
    public String toString() {
        return FaultText.of("blackhole()", scope, false);
    }
}
