package dev.loopback;

import java.util.Objects;

/**
 * Aborts connections with RST (TCP): made by {@link Fault#reset()}. The link closes its sockets
 * with {@code SO_LINGER 0}, so the client's next read or write fails with
 * {@code SocketException: Connection reset} (a timed {@code connect} still completing reports it
 * too) and the server sees the same. It acts as soon as it is injected, or its trigger fires, on
 * live connections, and at once on new ones, before the upstream is dialled. {@link #toClient()}
 * resets only the client (the server sees a normal close), {@link #toServer()} only the server.
 * With {@link #afterBytes(long)} the link forwards exactly that many bytes before it resets; a
 * probability below 1 draws once per connection.
 *
 * @param scope direction, probability and triggers
 */
public record Reset(FaultScope scope) implements TcpFault, ScopedFault<Reset> {

    /** Checks the scope. */
    public Reset {
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public Reset withScope(FaultScope scope) {
        return new Reset(scope);
    }

    @Override
    public FaultKind kind() {
        return FaultKind.RESET;
    }

    @Override
    public String toString() {
        return FaultText.of("reset()", scope, false);
    }
}
