package dev.loopback;

import java.util.Objects;

/**
 * Refuses new connections (TCP): made by {@link Fault#refuse()}. Clients see
 * {@code ConnectException: Connection refused}; live connections are untouched. While the fault is
 * active the link stops listening (connections whose handshake the kernel already completed are
 * accepted first) but keeps its port bound by a socket that does not listen, so the kernel
 * refuses clients and no other process can take the link's endpoint; when the fault is removed
 * the link listens on the same port again. On Linux and macOS the port is never free in between;
 * elsewhere it is free for the instant between closing the listener and binding the hold (if
 * another socket takes it then, the link journals an {@code ENGINE_ERROR} naming the holder, and
 * removing the fault still succeeds). A refused
 * connection never exists, so there is nothing to draw for or trigger on: the scope must keep
 * both directions, probability 0 or 1 and no trigger, and anything else is refused here.
 *
 * @param scope probability 0 (no effect) or 1; both directions; no trigger
 */
public record Refuse(FaultScope scope) implements TcpFault, ScopedFault<Refuse> {

    /**
     * Checks the scope.
     *
     * @throws IllegalArgumentException for a probability other than 0 or 1, a trigger or a direction
     */
    public Refuse {
        Objects.requireNonNull(scope, "scope");
        double p = scope.probability();
        if (p != 0 && p != 1) {
            throw new IllegalArgumentException("refuse probability " + p + " is not allowed: refusing closes the"
                    + " link's listening socket for every new connection; use probability 0 or 1");
        }
        if (scope.hasTrigger()) {
            throw new IllegalArgumentException("refuse() cannot have a trigger (afterBytes, after, onConnection): a"
                    + " refused connection never exists; inject refuse() when refusing should start");
        }
        if (scope.direction() != Direction.BOTH) {
            throw new IllegalArgumentException("refuse() has no direction (" + scope.direction()
                    + "): it refuses whole connections");
        }
    }

    @Override
    public Refuse withScope(FaultScope scope) {
        return new Refuse(scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.REFUSE;
    }

    @Override
    public String toString() {
        return FaultText.of("refuse()", scope, false);
    }
}
