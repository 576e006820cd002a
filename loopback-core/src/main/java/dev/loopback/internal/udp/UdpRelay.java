package dev.loopback.internal.udp;

import dev.loopback.Direction;
import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.FaultKind;
import dev.loopback.LinkEvent;
import dev.loopback.UdpClient;
import dev.loopback.UdpLink;
import dev.loopback.UdpStats;
import dev.loopback.UdpStats.DropCause;
import dev.loopback.internal.LinkSetup;
import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.EventLoops;
import dev.loopback.internal.engine.Timer;
import dev.loopback.internal.fault.ActiveFault;
import dev.loopback.internal.fault.FaultRegistry;
import dev.loopback.internal.random.Delays;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A UDP link on one engine {@link EventLoop} shared with other links: the loop watches the link's
 * own socket and one upstream socket per client mapping, and its timers release delayed datagrams.
 * Every datagram is handled on the loop thread; other threads only post tasks, flip volatile flags
 * and read counters, so they never wait on datagrams in flight.
 */
final class UdpRelay implements UdpLink {

    /** Requested receive and send buffer of every socket of the link (the kernel may cap it). */
    static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    /** How long a reorder without latency holds a datagram for the next candidate to overtake. */
    static final long REORDER_HOLD_NANOS = 10_000_000;

    private static final int DRAIN_LIMIT = 1024;
    private static final long MILLI = 1_000_000;
    private static final long MAX_EXPIRY_PERIOD_NANOS = 1_000 * MILLI;
    private static final Set<FaultKind> ACCEPTED = EnumSet.of(FaultKind.LATENCY, FaultKind.RATE, FaultKind.LOSS,
            FaultKind.BLACKHOLE, FaultKind.FREEZE, FaultKind.DUPLICATE, FaultKind.REORDER, FaultKind.CORRUPT,
            FaultKind.TRUNCATE);

    private static final int TO_SERVER = 0;
    private static final int TO_CLIENT = 1;
    private static final int BYTES_TO_SERVER = 2;
    private static final int BYTES_TO_CLIENT = 3;
    private static final int RECEIVED_FROM_CLIENTS = 4;
    private static final int RECEIVED_FROM_SERVER = 5;
    private static final int EXPIRED = 6;
    private static final int DUPLICATED = 7;
    private static final int REORDERED = 8;
    private static final int CORRUPTED = 9;
    private static final int TRUNCATED = 10;
    private static final int DROPPED = 11;
    private static final int INJECTED = DROPPED + DropCause.values().length;

    private final String name;
    private final InetAddress host;
    private final Endpoint endpoint;
    private final Endpoint upstream;
    private final InetSocketAddress upstreamAddress;
    private final int bufferBytes;
    private final Runnable onClose;
    private final EventLoop loop;
    private final DatagramChannel front;
    private final Outbox frontOut;
    private final FaultRegistry registry;
    private final Journal journal = new Journal();
    private final Counters counters = new Counters(INJECTED + FaultKind.values().length);
    private final Map<InetSocketAddress, ClientMapping> clients = new ConcurrentHashMap<>();
    private final AtomicLong clientsCreated = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean partitioned = new AtomicBoolean();
    private volatile long idleTimeoutNanos = DEFAULT_IDLE_TIMEOUT.toNanos();

    // Loop thread only.
    /** Timers armed for datagrams of this link, cancelled when it closes. */
    private final Set<Timer> pending = new HashSet<>();
    private final Timer expiry = Timer.of(() -> guarded(this::expire));
    private final Set<Flow> frozenFlows = new LinkedHashSet<>();
    private final Map<ActiveFault, RateQueue[]> rateQueues = new IdentityHashMap<>();
    private long frozenBytes;

    private UdpRelay(LinkSetup setup, EventLoop loop, DatagramChannel front) throws IOException {
        this.name = setup.name();
        this.host = setup.host();
        this.upstream = setup.upstream();
        this.upstreamAddress = upstream.socketAddress();
        this.bufferBytes = setup.bufferBytes();
        this.onClose = setup.onClose();
        this.loop = loop;
        this.front = front;
        this.endpoint = Endpoint.of((InetSocketAddress) front.getLocalAddress());
        this.frontOut = new Outbox(this, front, bufferBytes);
        this.registry = new FaultRegistry(setup.seed(), clientsCreated::get, () -> post(this::faultsChanged));
    }

    static UdpRelay open(LinkSetup setup) throws IOException {
        boolean v4Host = setup.host() instanceof Inet4Address;
        if (v4Host != setup.upstream().address() instanceof Inet4Address) {
            throw new IllegalArgumentException("UDP link '" + setup.name() + "': upstream " + setup.upstream().hostPort()
                    + " and the link's host " + setup.host().getHostAddress()
                    + " are of different IP versions; the upstream must be an IPv4 endpoint");
        }
        DatagramChannel front = openChannel(setup.host());
        try {
            UdpRelay relay = new UdpRelay(setup, EventLoops.next(), front);
            relay.loop.call(relay::start);
            return relay;
        } catch (IOException | RuntimeException e) {
            closeQuietly(front);
            throw e;
        }
    }

    private static DatagramChannel openChannel(InetAddress host) throws IOException {
        DatagramChannel channel = DatagramChannel.open(
                host instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(host, 0));
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
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
        if (!ACCEPTED.contains(fault.kind())) {
            throw new IllegalArgumentException("fault " + fault + " does not apply to UDP links; UDP links accept "
                    + ACCEPTED.stream().map(k -> k.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
        ensureOpen();
        FaultHandle handle = registry.add(fault);
        journal.add(LinkEvent.Type.FAULT_INJECTED, 0, fault.toString());
        return new JournalledHandle(handle);
    }

    @Override
    public List<Fault> faults() {
        return registry.faults();
    }

    @Override
    public void clear() {
        ensureOpen();
        List<Fault> removed = registry.faults();
        registry.clear();
        removed.forEach(f -> journal.add(LinkEvent.Type.FAULT_REMOVED, 0, f + " (cleared)"));
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
        Map<DropCause, Long> dropped = new EnumMap<>(DropCause.class);
        for (DropCause cause : DropCause.values()) {
            long n = counters.get(DROPPED + cause.ordinal());
            if (n > 0) {
                dropped.put(cause, n);
            }
        }
        Map<FaultKind, Long> injected = new EnumMap<>(FaultKind.class);
        for (FaultKind kind : FaultKind.values()) {
            long n = counters.get(INJECTED + kind.ordinal());
            if (n > 0) {
                injected.put(kind, n);
            }
        }
        return new UdpStats(counters.get(TO_SERVER), counters.get(TO_CLIENT), counters.get(BYTES_TO_SERVER),
                counters.get(BYTES_TO_CLIENT), counters.get(RECEIVED_FROM_CLIENTS), counters.get(RECEIVED_FROM_SERVER),
                clients.size(), counters.get(EXPIRED), dropped, counters.get(DUPLICATED), counters.get(REORDERED),
                counters.get(CORRUPTED), counters.get(TRUNCATED), injected);
    }

    @Override
    public List<UdpClient> clients() {
        long now = System.nanoTime();
        return clients.values().stream()
                .map(c -> c.snapshot(now))
                .sorted(Comparator.comparingLong(UdpClient::id))
                .toList();
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
        registry.clear();
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
        for (ClientMapping client : clients.values()) {
            closeQuietly(client.upstream);
        }
        clients.clear();
        closeQuietly(front);
        loop.flushClosed();
    }

    /** Readiness of the link's own socket ({@code client} null) or of a client's upstream socket. */
    private void ready(ClientMapping client, int ops) {
        guarded(() -> {
            if ((ops & SelectionKey.OP_WRITE) != 0) {
                (client == null ? frontOut : client.upstreamOut).flush();
            }
            if ((ops & SelectionKey.OP_READ) != 0) {
                if (client == null) {
                    drainFront(loop.readBuffer());
                } else if (client.key.isValid()) {
                    drainUpstream(client, loop.readBuffer());
                }
            }
        });
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
            counters.increment(RECEIVED_FROM_CLIENTS);
            ClientMapping client = clients.get((InetSocketAddress) from);
            if (client == null) {
                client = map((InetSocketAddress) from, now);
                if (client == null) {
                    dropped(null, DropCause.UNREACHABLE);
                    continue;
                }
            }
            client.lastActiveNanos = now;
            receive(client.toServer, buffer, now);
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
                journalUnreachable(client, e);
                return;
            }
            buffer.flip();
            long now = System.nanoTime();
            counters.increment(RECEIVED_FROM_SERVER);
            client.lastActiveNanos = now;
            receive(client.toClient, buffer, now);
        }
    }

    private ClientMapping map(InetSocketAddress from, long now) {
        DatagramChannel channel = null;
        try {
            // Not connected: a connected DatagramChannel cannot send an empty datagram, and replies
            // from another port of the server (as TFTP sends them) still reach the client.
            channel = openChannel(host);
            Endpoint side = Endpoint.of((InetSocketAddress) channel.getLocalAddress());
            ClientMapping client = new ClientMapping(clientsCreated.get() + 1, from, channel, side,
                    new Outbox(this, channel, bufferBytes), now);
            client.key = loop.register(channel, SelectionKey.OP_READ, ops -> ready(client, ops));
            client.upstreamOut.attach(client.key);
            journal.add(LinkEvent.Type.ACCEPTED, client.id,
                    "client " + text(from) + " mapped to " + side.hostPort() + " -> " + upstream.hostPort());
            clientsCreated.incrementAndGet();
            clients.put(from, client);
            return client;
        } catch (IOException e) {
            closeQuietly(channel);
            journal.add(LinkEvent.Type.UPSTREAM_FAILED, 0, "cannot open an upstream socket for " + text(from) + ": " + e);
            return null;
        }
    }

    // ---------------------------------------------------------------- the datagram pipeline

    /** One datagram received on {@code flow}; {@code buffer} is the loop's receive buffer. */
    private void receive(Flow flow, ByteBuffer buffer, long now) {
        long seq = ++flow.received;
        int length = buffer.remaining();
        if (partitioned.get()) {
            dropped(flow, DropCause.PARTITION);
        } else {
            ActiveFault[] faults = registry.snapshot();
            if (faults.length == 0) {
                flow.highestSent = seq;
                outbox(flow).send(flow, buffer);
            } else {
                impair(Datagram.copyOf(flow, seq, buffer), faults, now);
            }
        }
        flow.bytesSeen += length;
    }

    /** Blackhole, loss and duplicate, then each copy on its own: corrupt, truncate, freeze. */
    private void impair(Datagram datagram, ActiveFault[] faults, long now) {
        Flow flow = datagram.flow;
        FaultState[] states = flow.states(faults);
        int copies = 1;
        for (FaultState state : states) {
            if (!applies(state, flow, now)) {
                continue;
            }
            switch (state.fault.kind()) {
                case BLACKHOLE -> {
                    if (state.once()) {
                        fired(state, flow);
                        dropped(flow, DropCause.BLACKHOLE);
                        return;
                    }
                }
                case LOSS -> {
                    if (state.lose()) {
                        fired(state, flow);
                        dropped(flow, DropCause.LOSS);
                        return;
                    }
                }
                case DUPLICATE -> {
                    if (state.draw(state.fault.probability())) {
                        fired(state, flow);
                        counters.increment(DUPLICATED);
                        copies++;
                    }
                }
                default -> {
                    // acts later in the pipeline
                }
            }
        }
        for (int c = 1; c <= copies; c++) {
            Datagram copy = c < copies ? datagram.copy() : datagram;
            alter(copy, states, now);
            freezeStage(copy, now);
        }
    }

    private void alter(Datagram datagram, FaultState[] states, long now) {
        for (FaultState state : states) {
            FaultKind kind = state.fault.kind();
            if ((kind != FaultKind.CORRUPT && kind != FaultKind.TRUNCATE) || !applies(state, datagram.flow, now)
                    || !state.draw(state.fault.probability())) {
                continue;
            }
            if (kind == FaultKind.CORRUPT && datagram.length > 0) {
                int bit = state.random().nextInt(datagram.length * 8);
                datagram.data[bit >>> 3] ^= (byte) (1 << (bit & 7));
                counters.increment(CORRUPTED);
                fired(state, datagram.flow);
            } else if (kind == FaultKind.TRUNCATE && datagram.length > state.fault.bytes()) {
                datagram.length = (int) state.fault.bytes();
                counters.increment(TRUNCATED);
                fired(state, datagram.flow);
            }
        }
    }

    private void freezeStage(Datagram datagram, long now) {
        Flow flow = datagram.flow;
        FaultState freeze = freezing(flow, now);
        if (freeze == null) {
            if (!flow.frozen.isEmpty()) {
                release(flow, now);
            }
            delayStage(datagram, now);
        } else if (frozenBytes + datagram.length > bufferBytes) {
            dropped(flow, DropCause.FREEZE_OVERFLOW);
        } else {
            fired(freeze, flow);
            flow.frozen.addLast(datagram);
            frozenBytes += datagram.length;
            frozenFlows.add(flow);
        }
    }

    private FaultState freezing(Flow flow, long now) {
        for (FaultState state : flow.states(registry.snapshot())) {
            if (state.fault.kind() == FaultKind.FREEZE && applies(state, flow, now) && state.once()) {
                return state;
            }
        }
        return null;
    }

    private void release(Flow flow, long now) {
        frozenFlows.remove(flow);
        Datagram held;
        while ((held = flow.frozen.pollFirst()) != null) {
            frozenBytes -= held.length;
            delayStage(held, now);
        }
    }

    /** Latency and reorder, as netem: a reorder candidate goes at once while the others wait. */
    private void delayStage(Datagram datagram, long now) {
        Flow flow = datagram.flow;
        long delay = 0;
        boolean latency = false;
        boolean preserveOrder = false;
        FaultState reorder = null;
        for (FaultState state : flow.states(registry.snapshot())) {
            Fault fault = state.fault;
            if (fault.kind() == FaultKind.LATENCY && applies(state, flow, now) && state.draw(fault.probability())) {
                latency = true;
                preserveOrder |= fault.preservesOrder();
                delay += Delays.sample(fault.distribution(), fault.duration().toNanos(), fault.jitter().toNanos(),
                        state.random());
                fired(state, flow);
            } else if (fault.kind() == FaultKind.REORDER && reorder == null && applies(state, flow, now)) {
                reorder = state;
            }
        }
        boolean overtake = reorder != null && reorder.reorderNow();
        if (overtake) {
            fired(reorder, flow);
        }
        if (latency) {
            long release = now;
            if (!overtake) {
                release = now + delay;
                if (preserveOrder) {
                    release = release - flow.lastRelease < 0 ? flow.lastRelease : release;
                    flow.lastRelease = release;
                }
            }
            later(flow, release, this::rateStage, datagram);
        } else if (reorder != null) {
            Datagram held = flow.reorderHeld;
            if (overtake) {
                flow.reorderHeld = null;
                rateStage(datagram, now);
                if (held != null) {
                    rateStage(held, now);
                }
            } else {
                flow.reorderHeld = datagram;
                if (held != null) {
                    rateStage(held, now);
                }
                runAt(now + REORDER_HOLD_NANOS, () -> {
                    if (flow.reorderHeld == datagram) {
                        flow.reorderHeld = null;
                        rateStage(datagram, System.nanoTime());
                    }
                });
            }
        } else {
            rateStage(datagram, now);
        }
    }

    private void rateStage(Datagram datagram, long now) {
        rateStage(datagram, 0, now);
    }

    /** The rate faults injected after {@code afterIndex}, in injection order; then the send. */
    private void rateStage(Datagram datagram, long afterIndex, long now) {
        Flow flow = datagram.flow;
        for (FaultState state : flow.states(registry.snapshot())) {
            Fault fault = state.fault;
            if (fault.kind() != FaultKind.RATE || state.active.index() <= afterIndex || !applies(state, flow, now)
                    || !state.draw(fault.probability())) {
                continue;
            }
            RateQueue queue = rateQueue(state.active, flow.direction, now);
            if (queue.bytes + datagram.length > fault.bytes()) {
                dropped(flow, DropCause.RATE_QUEUE);
                return;
            }
            long start = queue.freeAt - now > 0 ? queue.freeAt : now;
            long depart = start + (long) (datagram.length * 1e9 / fault.bytesPerSecond());
            queue.freeAt = depart;
            queue.bytes += datagram.length;
            fired(state, flow);
            long index = state.active.index();
            later(flow, depart, (d, t) -> {
                queue.bytes -= d.length;
                rateStage(d, index, t);
            }, datagram);
            return;
        }
        send(datagram);
    }

    private void send(Datagram datagram) {
        Flow flow = datagram.flow;
        if (partitioned.get()) {
            dropped(flow, DropCause.PARTITION);
            return;
        }
        if (datagram.seq < flow.highestSent) {
            counters.increment(REORDERED);
        } else {
            flow.highestSent = datagram.seq;
        }
        outbox(flow).send(datagram);
    }

    private interface Stage {
        void accept(Datagram datagram, long now);
    }

    private void later(Flow flow, long at, Stage stage, Datagram datagram) {
        flow.scheduled++;
        runAt(at, () -> {
            flow.scheduled--;
            stage.accept(datagram, at);
        });
    }

    private RateQueue rateQueue(ActiveFault fault, Direction direction, long now) {
        RateQueue[] queues = rateQueues.computeIfAbsent(fault, f -> new RateQueue[2]);
        int i = direction == Direction.TO_SERVER ? 0 : 1;
        if (queues[i] == null) {
            queues[i] = new RateQueue(now);
        }
        return queues[i];
    }

    /** The queue of one rate fault in one direction, shared by all clients: the link's bottleneck. */
    private static final class RateQueue {
        long freeAt;
        long bytes;

        RateQueue(long now) {
            freeAt = now;
        }
    }

    private static boolean applies(FaultState state, Flow flow, long now) {
        Fault fault = state.fault;
        if (!fault.direction().covers(flow.direction)) {
            return false;
        }
        if (fault.onConnection() != 0 && flow.client.id != state.active.connectionsBefore() + fault.onConnection()) {
            return false;
        }
        if (flow.bytesSeen < fault.afterBytes()) {
            return false;
        }
        return fault.after().isZero() || now - flow.client.createdNanos >= fault.after().toNanos();
    }

    /** On the loop thread after faults changed: frozen flows whose freeze is gone flow on. */
    private void faultsChanged() {
        long now = System.nanoTime();
        for (Flow flow : List.copyOf(frozenFlows)) {
            if (freezing(flow, now) == null) {
                release(flow, now);
            }
        }
        Set<ActiveFault> active = Set.of(registry.snapshot());
        rateQueues.keySet().removeIf(f -> !active.contains(f));
    }

    // ---------------------------------------------------------------- accounting (loop thread)

    private Outbox outbox(Flow flow) {
        return flow.direction == Direction.TO_SERVER ? flow.client.upstreamOut : frontOut;
    }

    InetSocketAddress target(Flow flow) {
        return flow.direction == Direction.TO_SERVER ? upstreamAddress : flow.client.address;
    }

    /** Counts {@code datagrams} (1, or -1 to take a count back) of {@code length} bytes sent on {@code flow}. */
    void sent(Flow flow, int length, int datagrams) {
        ClientMapping client = flow.client;
        boolean toServer = flow.direction == Direction.TO_SERVER;
        counters.add(toServer ? TO_SERVER : TO_CLIENT, datagrams);
        counters.add(toServer ? BYTES_TO_SERVER : BYTES_TO_CLIENT, length);
        client.counters.add(toServer ? ClientMapping.TO_SERVER : ClientMapping.TO_CLIENT, datagrams);
        client.counters.add(toServer ? ClientMapping.BYTES_TO_SERVER : ClientMapping.BYTES_TO_CLIENT, length);
    }

    void dropped(Flow flow, DropCause cause) {
        counters.increment(DROPPED + cause.ordinal());
        if (flow != null) {
            flow.client.counters.increment(ClientMapping.DROPPED);
        }
    }

    void sendFailed(Flow flow, IOException e) {
        dropped(flow, DropCause.UNREACHABLE);
        journalUnreachable(flow.client, e);
    }

    private void journalUnreachable(ClientMapping client, IOException e) {
        if (!client.unreachableJournalled) {
            client.unreachableJournalled = true;
            journal.add(LinkEvent.Type.UPSTREAM_FAILED, client.id, upstream.hostPort() + ": " + e);
        }
    }

    /** Journals (first) and counts a fault acting, so that a reader who sees the count also finds the event. */
    private void fired(FaultState state, Flow flow) {
        if (!state.journalled) {
            state.journalled = true;
            journal.add(LinkEvent.Type.FAULT_FIRED, flow.client.id, state.fault + " first acted " + flow.direction);
        }
        counters.increment(INJECTED + state.fault.kind().ordinal());
    }

    // ---------------------------------------------------------------- idle expiry (loop thread)

    private void scheduleExpiry(long now) {
        long period = Math.max(5 * MILLI, Math.min(idleTimeoutNanos / 4, MAX_EXPIRY_PERIOD_NANOS));
        loop.schedule(expiry, now + period);
    }

    private void expire() {
        long now = System.nanoTime();
        expireIdle(now);
        scheduleExpiry(now);
    }

    private void expireIdle(long now) {
        long timeout = idleTimeoutNanos;
        for (ClientMapping client : clients.values()) {
            if (now - client.lastActiveNanos >= timeout && !client.busy()) {
                clients.remove(client.address);
                client.key.cancel();
                closeQuietly(client.upstream);
                journal.add(LinkEvent.Type.EXPIRED, client.id, "client " + text(client.address) + " idle for "
                        + Duration.ofNanos(now - client.lastActiveNanos).toMillis() + " ms");
                counters.increment(EXPIRED);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String text(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing to do: the socket is going away either way
        }
    }

    /** A fault handle that journals the removal. */
    private final class JournalledHandle implements FaultHandle {
        private final FaultHandle handle;

        JournalledHandle(FaultHandle handle) {
            this.handle = handle;
        }

        @Override
        public Fault fault() {
            return handle.fault();
        }

        @Override
        public boolean isActive() {
            return handle.isActive();
        }

        @Override
        public void remove() {
            if (handle.isActive()) {
                handle.remove();
                journal.add(LinkEvent.Type.FAULT_REMOVED, 0, handle.fault().toString());
            }
        }

        @Override
        public String toString() {
            return handle.toString();
        }
    }
}
