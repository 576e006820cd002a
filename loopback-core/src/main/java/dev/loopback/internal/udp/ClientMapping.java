package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.Endpoint;
import dev.loopback.GilbertElliott;
import dev.loopback.Loss;
import dev.loopback.Reorder;
import dev.loopback.UdpClient;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.link.Counters;
import dev.loopback.internal.link.FaultState;
import dev.loopback.internal.link.FaultStates;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;

/**
 * A client address, the upstream socket the link uses for it, and the states of the link's faults
 * on it (shared by its two {@link Flow}s: each keeps what it needs per direction).
 */
final class ClientMapping {

    static final int TO_SERVER = 0;
    static final int TO_CLIENT = 1;
    static final int BYTES_TO_SERVER = 2;
    static final int BYTES_TO_CLIENT = 3;
    static final int DROPPED = 4;

    final long id;
    final InetSocketAddress address;
    final DatagramChannel upstream;
    /** Batched calls on {@link #upstream}; null: one datagram per system call. */
    final SocketBatch upstreamBatch;
    final Endpoint upstreamSide;
    final Outbox upstreamOut;
    final Flow toServer = new Flow(this, Direction.TO_SERVER);
    final Flow toClient = new Flow(this, Direction.TO_CLIENT);
    final long createdNanos;
    final Counters counters = new Counters(5);
    volatile long lastActiveNanos;
    SelectionKey key;
    boolean unreachableJournalled;
    /** Set once the mapping is closed (expired, or after an engine error); its datagrams still scheduled are dropped. */
    boolean closed;
    private final FaultStates<FaultState> states;

    /** Makes the state of a fault on a client mapping: {@link #stateOf} unless a link's test replaces it. */
    @FunctionalInterface
    interface StateFactory {
        FaultState create(ActiveFault fault, long clientId);
    }

    ClientMapping(long id, InetSocketAddress address, DatagramChannel upstream, SocketBatch upstreamBatch,
            Endpoint upstreamSide,
            Outbox upstreamOut, long now, StateFactory factory) {
        this.states = new FaultStates<>(fault -> factory.create(fault, id), FaultState[]::new);
        this.id = id;
        this.address = address;
        this.upstream = upstream;
        this.upstreamBatch = upstreamBatch;
        this.upstreamSide = upstreamSide;
        this.upstreamOut = upstreamOut;
        this.createdNanos = now;
        this.lastActiveNanos = now;
    }

    Flow flow(Direction direction) {
        return direction == Direction.TO_SERVER ? toServer : toClient;
    }

    /** The states of {@code faults} (a registry snapshot) on this mapping, index for index. */
    FaultState[] states(ActiveFault[] faults) {
        return states.of(faults);
    }

    /** The state of {@code fault} on mapping {@code clientId}: loss and reorder keep more than the base. */
    static FaultState stateOf(ActiveFault fault, long clientId) {
        if (fault.fault() instanceof Loss || fault.fault() instanceof GilbertElliott) {
            return new LossStage(fault, clientId);
        }
        if (fault.fault() instanceof Reorder) {
            return new ReorderStage(fault, clientId);
        }
        return new FaultState(fault, clientId);
    }

    boolean busy() {
        return toServer.busy() || toClient.busy() || !upstreamOut.isEmpty();
    }

    UdpClient snapshot(long now) {
        return new UdpClient(id, address, upstreamSide, Duration.ofNanos(now - createdNanos),
                Duration.ofNanos(Math.max(0, now - lastActiveNanos)), counters.get(TO_SERVER),
                counters.get(TO_CLIENT), counters.get(BYTES_TO_SERVER), counters.get(BYTES_TO_CLIENT),
                counters.get(DROPPED));
    }
}
