package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.Endpoint;
import dev.loopback.Partition;
import dev.loopback.UdpClient;
import dev.loopback.UdpFault;
import dev.loopback.UdpLink;
import dev.loopback.UdpStats;
import dev.loopback.UdpStats.DropCause;
import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.EventLoops;
import dev.loopback.internal.engine.Handler;
import dev.loopback.internal.engine.Timer;
import dev.loopback.internal.link.AbstractLink;
import dev.loopback.internal.link.LinkSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A UDP link: its sockets and what the engine does with them; the control plane is
 * {@link AbstractLink}. It runs on one engine {@link EventLoop} shared with other links: the loop
 * watches the link's own socket and the upstream socket of each of its {@link Clients}, hands every
 * datagram received to the {@link Pipeline}, and its timers release held datagrams. Other threads
 * only post tasks, flip flags and read counters, so they never wait on datagrams in flight.
 *
 * <p><b>Errors.</b> If handling a datagram throws (a bug), that datagram is dropped (counted as
 * {@link DropCause#ENGINE_ERROR}), its client mapping is closed so no state of the failure
 * survives — the client's next datagram opens a new one — and the error is journalled and counted.
 * The link itself stays open, and the loop never closes it.
 */
final class UdpRelay extends AbstractLink<UdpFault> implements UdpLink {

    private static final int DRAIN_LIMIT = 1024;
    private static final long MILLI = 1_000_000;
    private static final long MAX_EXPIRY_PERIOD_NANOS = 1_000 * MILLI;

    private final EventLoop loop;
    private final DatagramChannel front;
    private final Endpoint endpoint;
    private final Outbox frontOut;
    private final Accounting accounting;
    private final Clients clients;
    private final Pipeline pipeline;
    private volatile long idleTimeoutNanos = DEFAULT_IDLE_TIMEOUT.toNanos();
    private volatile ClientMapping.StateFactory stateFactory = ClientMapping::stateOf;

    // Loop thread only.
    /** Timers armed for datagrams of this link, cancelled when it closes. */
    private final Set<Timer> pending = new HashSet<>();
    private final Timer expiry = Timer.of(this::expire, this::expiryFailed);

    private UdpRelay(LinkSetup setup, EventLoop loop, DatagramChannel front) throws IOException {
        super("UDP", setup);
        this.loop = loop;
        this.front = front;
        this.endpoint = Endpoint.of((InetSocketAddress) front.getLocalAddress());
        this.accounting = new Accounting(journal(), upstream().hostPort());
        this.frontOut = new Outbox(accounting, front, null);
        this.clients = new Clients(loop, setup.host(), upstream(), accounting, journal(), this::handler,
                (fault, clientId) -> stateFactory.create(fault, clientId));
        this.pipeline = new Pipeline(this::activeFaults, accounting, this::cuts, frontOut, this::runAt,
                setup.bufferBytes());
    }

    static UdpRelay open(LinkSetup setup) throws IOException {
        DatagramChannel front = Sockets.open(setup.listen());
        try {
            UdpRelay relay = new UdpRelay(setup, EventLoops.next(), front);
            relay.loop.call(relay::start);
            return relay;
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(front);
            throw e;
        }
    }

    // ---------------------------------------------------------------- API (any thread)

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public Duration idleTimeout() {
        return Duration.ofNanos(idleTimeoutNanos);
    }

    @Override
    public UdpLink idleTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout " + timeout + " must be > 0");
        }
        checkOpen("set its idle timeout");
        idleTimeoutNanos = timeout.toNanos();
        post(() -> scheduleExpiry(System.nanoTime()));
        return this;
    }

    @Override
    public UdpStats stats() {
        return accounting.stats(clients.size(), engineErrors());
    }

    @Override
    public List<UdpClient> clients() {
        return clients.snapshot();
    }

    /** Test seam: replaces how this link makes fault states for its client mappings (for example one that throws). */
    void stateFactory(ClientMapping.StateFactory factory) {
        this.stateFactory = factory;
    }

    @Override
    protected long connectionsAccepted() {
        return clients.created();
    }

    @Override
    protected void faultsChanged() {
        post(() -> pipeline.faultsChanged(System.nanoTime()));
    }

    @Override
    protected void partitionChanged() {
        // The pipeline reads the flag for every datagram.
    }

    /** Whether a partition cuts {@code direction} now: every mode drops datagrams, since a network keeps none. */
    private boolean cuts(Direction direction) {
        Cut cut = partitionNow();
        return cut != null && cut.partition().direction().covers(direction);
    }

    @Override
    protected String partitionDetail(Partition partition) {
        return "datagrams dropped where cut";
    }

    @Override
    protected void closeSockets() {
        loop.call(this::releaseSockets);
    }

    /** Runs {@code task} on the loop unless the link is closed by then; a failure is journalled and counted. */
    private void post(Runnable task) {
        loop.execute(() -> {
            if (isClosed()) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                engineError(0, "the link carries on", e);
            }
        });
    }

    // ---------------------------------------------------------------- on the loop

    private void start() {
        try {
            frontOut.attach(loop.register(front, SelectionKey.OP_READ, handler(null)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register UDP link '" + name() + "' with the engine", e);
        }
        scheduleExpiry(System.nanoTime());
    }

    /** The handler of the link's own socket ({@code client} null) or of a client's upstream socket. */
    private Handler handler(ClientMapping client) {
        return new Handler() {
            @Override
            public void ready(int readyOps) {
                UdpRelay.this.ready(client, readyOps);
            }

            @Override
            public void failed(Throwable error) {
                if (client == null) {
                    engineError(0, "the link carries on", error);
                } else {
                    failedServing(client, error);
                }
            }
        };
    }

    /** The link failed handling a datagram of {@code flow}: the datagram is dropped and the mapping closed. */
    private void failed(Flow flow, Throwable error) {
        accounting.dropped(flow, DropCause.ENGINE_ERROR);
        failedServing(flow.client, error);
    }

    private void failedServing(ClientMapping client, Throwable error) {
        engineError(client.id, "datagram dropped, client mapping closed", error);
        clients.closeAfterError(client);
    }

    private void releaseSockets() {
        loop.cancel(expiry);
        pending.forEach(loop::cancel);
        pending.clear();
        clients.closeAll();
        Sockets.closeQuietly(front);
        loop.flushClosed();
    }

    /** Runs {@code action} for {@code flow} on the loop at {@code deadline}, unless the link closes first. */
    private void runAt(Flow flow, long deadline, Runnable action) {
        Timer timer = new Timer() {
            @Override
            protected void fire() {
                pending.remove(this);
                action.run();
            }

            @Override
            protected void failed(Throwable error) {
                UdpRelay.this.failed(flow, error);
            }
        };
        pending.add(timer);
        loop.schedule(timer, deadline);
    }

    /**
     * Readiness of the link's own socket ({@code client} null) or of a client's upstream socket:
     * receives first, so that a burst leaves the kernel's buffer before the link forwards it.
     */
    private void ready(ClientMapping client, int ops) {
        if ((ops & SelectionKey.OP_READ) != 0) {
            if (client == null) {
                drainFront(loop.readBuffer());
            } else if (client.key.isValid()) {
                drainUpstream(client, loop.readBuffer());
            }
        }
        if ((ops & SelectionKey.OP_WRITE) != 0 && (client == null || client.key.isValid())) {
            (client == null ? frontOut : client.upstreamOut).flush();
        }
    }

    private void drainFront(ByteBuffer buffer) {
        for (int i = 0; i < DRAIN_LIMIT; i++) {
            buffer.clear();
            SocketAddress from;
            try {
                from = front.receive(buffer);
            } catch (IOException e) {
                throw new UncheckedIOException("receive on " + endpoint.hostPort() + " failed", e);
            }
            if (from == null) {
                return;
            }
            buffer.flip();
            long now = System.nanoTime();
            accounting.count(Accounting.RECEIVED_FROM_CLIENTS);
            ClientMapping client = clients.get((InetSocketAddress) from);
            if (client == null) {
                client = clients.open((InetSocketAddress) from, now);
                if (client == null) {
                    accounting.dropped(null, DropCause.UNREACHABLE);
                    continue;
                }
            }
            client.lastActiveNanos = now;
            try {
                pipeline.receive(client.toServer, buffer, now, i >= Outbox.SEND_AT_ONCE);
            } catch (RuntimeException | Error e) {
                failed(client.toServer, e);
            }
        }
    }

    private void drainUpstream(ClientMapping client, ByteBuffer buffer) {
        for (int i = 0; i < DRAIN_LIMIT && !client.closed; i++) {
            buffer.clear();
            try {
                if (client.upstream.receive(buffer) == null) {
                    return;
                }
            } catch (IOException e) {
                accounting.unreachable(client, e);
                return;
            }
            buffer.flip();
            long now = System.nanoTime();
            accounting.count(Accounting.RECEIVED_FROM_SERVER);
            client.lastActiveNanos = now;
            try {
                pipeline.receive(client.toClient, buffer, now, i >= Outbox.SEND_AT_ONCE);
            } catch (RuntimeException | Error e) {
                failed(client.toClient, e);
            }
        }
    }

    private void scheduleExpiry(long now) {
        long period = Math.max(5 * MILLI, Math.min(idleTimeoutNanos / 4, MAX_EXPIRY_PERIOD_NANOS));
        loop.schedule(expiry, now + period);
    }

    private void expire() {
        long now = System.nanoTime();
        clients.expireIdle(now, idleTimeoutNanos);
        scheduleExpiry(now);
    }

    private void expiryFailed(Throwable error) {
        engineError(0, "idle expiry goes on", error);
        scheduleExpiry(System.nanoTime());
    }
}
