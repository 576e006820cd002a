package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.Endpoint;
import dev.loopback.UdpClient;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;

/** A client address and the upstream socket the link uses for it. */
final class ClientMapping {

    static final int TO_SERVER = 0;
    static final int TO_CLIENT = 1;
    static final int BYTES_TO_SERVER = 2;
    static final int BYTES_TO_CLIENT = 3;
    static final int DROPPED = 4;

    final long id;
    final InetSocketAddress address;
    final DatagramChannel upstream;
    final Endpoint upstreamSide;
    final Outbox upstreamOut;
    final Flow toServer = new Flow(this, Direction.TO_SERVER);
    final Flow toClient = new Flow(this, Direction.TO_CLIENT);
    final long createdNanos;
    final Counters counters = new Counters(5);
    volatile long lastActiveNanos;
    SelectionKey key;
    boolean unreachableJournalled;

    ClientMapping(long id, InetSocketAddress address, DatagramChannel upstream, Endpoint upstreamSide,
            Outbox upstreamOut, long now) {
        this.id = id;
        this.address = address;
        this.upstream = upstream;
        this.upstreamSide = upstreamSide;
        this.upstreamOut = upstreamOut;
        this.createdNanos = now;
        this.lastActiveNanos = now;
    }

    Flow flow(Direction direction) {
        return direction == Direction.TO_SERVER ? toServer : toClient;
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
