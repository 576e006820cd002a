package dev.loopback.internal.udp;

import dev.loopback.Endpoint;
import dev.loopback.LinkEvent;
import dev.loopback.UdpClient;
import dev.loopback.internal.link.LinkJournal;
import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.Handler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The link's client mappings: one upstream socket per client address, opened on its first datagram
 * and closed when idle. Changed on the loop thread; read by any thread.
 */
final class Clients {

    private final Map<InetSocketAddress, ClientMapping> byAddress = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();
    private final EventLoop loop;
    private final InetAddress host;
    private final Endpoint upstream;
    private final Accounting accounting;
    private final LinkJournal journal;
    private final Function<ClientMapping, Handler> handlers;
    private final ClientMapping.StateFactory states;

    Clients(EventLoop loop, InetAddress host, Endpoint upstream, Accounting accounting, LinkJournal journal,
            Function<ClientMapping, Handler> handlers, ClientMapping.StateFactory states) {
        this.loop = loop;
        this.host = host;
        this.upstream = upstream;
        this.accounting = accounting;
        this.journal = journal;
        this.handlers = handlers;
        this.states = states;
    }

    /** Returns how many mappings were ever created: the number of the latest one. */
    long created() {
        return created.get();
    }

    int size() {
        return byAddress.size();
    }

    ClientMapping get(InetSocketAddress address) {
        return byAddress.get(address);
    }

    /** Maps {@code from} to a new upstream socket; returns null (journalled) if none can be opened. */
    ClientMapping open(InetSocketAddress from, long now) {
        DatagramChannel channel = null;
        try {
            // Not connected: a connected DatagramChannel cannot send an empty datagram, and replies
            // from another port of the server (as TFTP sends them) still reach the client.
            channel = Sockets.open(new InetSocketAddress(host, 0));
            Endpoint side = Endpoint.of((InetSocketAddress) channel.getLocalAddress());
            ClientMapping client = new ClientMapping(created.get() + 1, from, channel, side,
                    new Outbox(accounting, channel, upstream.socketAddress()), now, states);
            client.key = loop.register(channel, SelectionKey.OP_READ, handlers.apply(client));
            client.upstreamOut.attach(client.key);
            journal.add(LinkEvent.Type.ACCEPTED, client.id,
                    "client " + Sockets.text(from) + " mapped to " + side.hostPort() + " -> " + upstream.hostPort());
            created.incrementAndGet();
            byAddress.put(from, client);
            return client;
        } catch (IOException e) {
            Sockets.closeQuietly(channel);
            journal.add(LinkEvent.Type.UPSTREAM_FAILED, 0,
                    "cannot open an upstream socket for " + Sockets.text(from) + ": " + e);
            return null;
        }
    }

    /** Closes the mappings idle for {@code timeout} that hold no datagram. */
    void expireIdle(long now, long timeout) {
        for (ClientMapping client : byAddress.values()) {
            if (now - client.lastActiveNanos >= timeout && !client.busy()) {
                close(client);
                journal.add(LinkEvent.Type.EXPIRED, client.id, "client " + Sockets.text(client.address) + " idle for "
                        + Duration.ofNanos(now - client.lastActiveNanos).toMillis() + " ms");
                accounting.count(Accounting.EXPIRED);
            }
        }
    }

    /**
     * Closes {@code client}'s mapping after the link failed serving it, so that no state of the
     * failure survives: its socket closes, its datagrams still held are dropped when due, and the
     * client's next datagram opens a new mapping.
     */
    void closeAfterError(ClientMapping client) {
        if (!client.closed) {
            close(client);
            journal.add(LinkEvent.Type.CLOSED, client.id, "client " + Sockets.text(client.address)
                    + " mapping closed after an engine error");
        }
    }

    private void close(ClientMapping client) {
        client.closed = true;
        byAddress.remove(client.address, client);
        client.key.cancel();
        Sockets.closeQuietly(client.upstream);
    }

    List<UdpClient> snapshot() {
        long now = System.nanoTime();
        return byAddress.values().stream()
                .map(c -> c.snapshot(now))
                .sorted(Comparator.comparingLong(UdpClient::id))
                .toList();
    }

    void closeAll() {
        for (ClientMapping client : byAddress.values()) {
            client.closed = true;
            Sockets.closeQuietly(client.upstream);
        }
        byAddress.clear();
    }
}
