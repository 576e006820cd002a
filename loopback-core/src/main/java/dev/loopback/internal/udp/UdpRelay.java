package dev.loopback.internal.udp;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.FaultKind;
import dev.loopback.LinkEvent;
import dev.loopback.UdpClient;
import dev.loopback.UdpLink;
import dev.loopback.UdpStats;
import dev.loopback.UdpStats.DropCause;
import dev.loopback.internal.LinkJournal;
import dev.loopback.internal.LinkSetup;
import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.EventLoops;
import dev.loopback.internal.engine.Timer;
import dev.loopback.internal.fault.FaultRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A UDP link: its lifecycle and API. It runs on one engine {@link EventLoop} shared with other
 * links: the loop watches the link's own socket and the upstream socket of each of its
 * {@link Clients}, hands every datagram received to the {@link Pipeline}, and its timers release
 * held datagrams. Other threads only post tasks, flip volatile flags and read counters, so they
 * never wait on datagrams in flight.
 */
final class UdpRelay implements UdpLink {

    private static final int DRAIN_LIMIT = 1024;
    private static final long MILLI = 1_000_000;
    private static final long MAX_EXPIRY_PERIOD_NANOS = 1_000 * MILLI;
    private static final Set<FaultKind> ACCEPTED = EnumSet.of(FaultKind.LATENCY, FaultKind.RATE, FaultKind.LOSS,
            FaultKind.BLACKHOLE, FaultKind.FREEZE, FaultKind.DUPLICATE, FaultKind.REORDER, FaultKind.CORRUPT,
            FaultKind.TRUNCATE);

    private final String name;
    private final Endpoint endpoint;
    private final Endpoint upstream;
    private final Runnable onClose;
    private final EventLoop loop;
    private final DatagramChannel front;
    private final Outbox frontOut;
    private final LinkJournal journal = new LinkJournal();
    private final Accounting accounting;
    private final Clients clients;
    private final FaultRegistry registry;
    private final Pipeline pipeline;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean partitioned = new AtomicBoolean();
    private volatile long idleTimeoutNanos = DEFAULT_IDLE_TIMEOUT.toNanos();

    // Loop thread only.
    /** Timers armed for datagrams of this link, cancelled when it closes. */
    private final Set<Timer> pending = new HashSet<>();
    private final Timer expiry = Timer.of(() -> guarded(this::expire));

    private UdpRelay(LinkSetup setup, EventLoop loop, DatagramChannel front) throws IOException {
        this.name = setup.name();
        this.upstream = setup.upstream();
        this.onClose = setup.onClose();
        this.loop = loop;
        this.front = front;
        this.endpoint = Endpoint.of((InetSocketAddress) front.getLocalAddress());
        this.accounting = new Accounting(journal, upstream.hostPort());
        this.frontOut = new Outbox(accounting, front, null);
        this.clients = new Clients(loop, setup.host(), upstream, accounting, journal, client -> ops -> ready(client, ops));
        this.registry = new FaultRegistry("UDP", ACCEPTED, journal, setup.seed(), clients::created,
                () -> post(this::faultsChanged));
        this.pipeline = new Pipeline(registry, accounting, partitioned, frontOut, this::runAt, setup.bufferBytes());
    }

    static UdpRelay open(LinkSetup setup) throws IOException {
        boolean v4Host = setup.host() instanceof Inet4Address;
        if (v4Host != setup.upstream().address() instanceof Inet4Address) {
            throw new IllegalArgumentException("UDP link '" + setup.name() + "': upstream " + setup.upstream().hostPort()
                    + " and the link's host " + setup.host().getHostAddress()
                    + " are of different IP versions; the upstream must be an IPv4 endpoint");
        }
        DatagramChannel front = Sockets.open(setup.host());
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
    public String name() {
        return name;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public Endpoint upstream() {
        return upstream;
    }

    @Override
    public FaultHandle inject(Fault fault) {
        Objects.requireNonNull(fault, "fault");
        ensureOpen();
        return registry.add(fault);
    }

    @Override
    public List<Fault> faults() {
        return registry.faults();
    }

    @Override
    public void clear() {
        ensureOpen();
        registry.clear();
    }

    @Override
    public void partition() {
        ensureOpen();
        if (partitioned.compareAndSet(false, true)) {
            journal.add(LinkEvent.Type.PARTITIONED, 0, "datagrams dropped both ways");
        }
    }

    @Override
    public void heal() {
        ensureOpen();
        if (partitioned.compareAndSet(true, false)) {
            journal.add(LinkEvent.Type.HEALED, 0, "datagrams flow again");
        }
    }

    @Override
    public boolean isPartitioned() {
        return partitioned.get();
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
        ensureOpen();
        idleTimeoutNanos = timeout.toNanos();
        post(() -> scheduleExpiry(System.nanoTime()));
        return this;
    }

    @Override
    public UdpStats stats() {
        return accounting.stats(clients.size());
    }

    @Override
    public List<UdpClient> clients() {
        return clients.snapshot();
    }

    @Override
    public List<LinkEvent> events() {
        return journal.list();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        registry.discardAll();
        try {
            loop.call(this::releaseSockets);
        } finally {
            journal.add(LinkEvent.Type.CLOSED, 0, "link closed");
            onClose.run();
        }
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "UdpLink[" + name + " " + endpoint.hostPort() + " -> " + upstream.hostPort() + (isClosed() ? ", closed" : "")
                + "]";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("UDP link '" + name + "' is closed");
        }
    }

    private void post(Runnable task) {
        if (!closed.get()) {
            loop.execute(() -> guarded(task));
        }
    }

    // ---------------------------------------------------------------- on the loop

    private void start() {
        try {
            frontOut.attach(loop.register(front, SelectionKey.OP_READ, ops -> ready(null, ops)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register UDP link '" + name + "' with the engine", e);
        }
        scheduleExpiry(System.nanoTime());
    }

    /** Runs {@code action} unless the link is closed; a failure closes the link. */
    private void guarded(Runnable action) {
        if (closed.get()) {
            return;
        }
        try {
            action.run();
        } catch (RuntimeException e) {
            journal.add(LinkEvent.Type.CLOSED, 0, "link failed: " + e);
            // Closed from a task, not from within the engine's select.
            loop.execute(this::close);
        }
    }

    private void releaseSockets() {
        loop.cancel(expiry);
        pending.forEach(loop::cancel);
        pending.clear();
        clients.closeAll();
        Sockets.closeQuietly(front);
        loop.flushClosed();
    }

    /** Runs {@code action} on the loop at {@code deadline}, unless the link closes first. */
    private void runAt(long deadline, Runnable action) {
        Timer timer = new Timer() {
            @Override
            protected void fire() {
                pending.remove(this);
                guarded(action);
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
        guarded(() -> {
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
        });
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
            pipeline.receive(client.toServer, buffer, now, i >= Outbox.SEND_AT_ONCE);
        }
    }

    private void drainUpstream(ClientMapping client, ByteBuffer buffer) {
        for (int i = 0; i < DRAIN_LIMIT; i++) {
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
            pipeline.receive(client.toClient, buffer, now, i >= Outbox.SEND_AT_ONCE);
        }
    }

    private void faultsChanged() {
        pipeline.faultsChanged(System.nanoTime());
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
}
