package dev.loopback.internal.tcp;

import dev.loopback.Direction;
import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.FaultKind;
import dev.loopback.LinkEvent;
import dev.loopback.TcpConnection;
import dev.loopback.TcpLink;
import dev.loopback.TcpStats;
import dev.loopback.internal.LinkJournal;
import dev.loopback.internal.LinkSetup;
import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.EventLoops;
import dev.loopback.internal.engine.Handler;
import dev.loopback.internal.fault.ActiveFault;
import dev.loopback.internal.fault.FaultRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A TCP link: a listening socket on the link's host and one {@link Relay} per accepted connection,
 * all served by one engine {@link EventLoop}. Control calls from other threads (inject, partition,
 * close) change volatile state and hand the rest to the loop.
 */
final class RelayLink implements TcpLink {

    private static final System.Logger LOG = System.getLogger(RelayLink.class.getName());
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final int BACKLOG = 1024;
    static final Set<FaultKind> ACCEPTED_KINDS = EnumSet.of(FaultKind.LATENCY, FaultKind.BANDWIDTH, FaultKind.LOSS,
            FaultKind.RESET, FaultKind.REFUSE, FaultKind.BLACKHOLE, FaultKind.FREEZE, FaultKind.CUT, FaultKind.SLOW_CLOSE,
            FaultKind.SLICE, FaultKind.SLOW_OPEN);

    final EventLoop loop;
    final InetAddress host;
    final InetSocketAddress upstreamAddress;
    final int bufferBytes;
    final FaultRegistry registry;
    final LinkJournal journal;
    volatile boolean partitioned;

    private final String name;
    private final Endpoint endpoint;
    private final Endpoint upstream;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean reconsiderPending = new AtomicBoolean();
    private final Map<Long, Relay> relays = new ConcurrentHashMap<>();
    private final Map<ActiveFault, TokenBucket[]> sharedBuckets = new IdentityHashMap<>();
    private final AtomicLongArray injected = new AtomicLongArray(FaultKind.values().length);
    private final Object control = new Object();
    private boolean refusing;
    private ServerSocketChannel listener;
    private SelectionKey listenerKey;

    // Written by the loop thread only; volatile so any thread reads a recent value.
    private volatile long accepted;
    private volatile long closedCount;
    private volatile long refused;
    private volatile long resets;
    private volatile long stalls;
    private volatile long bytesToServer;
    private volatile long bytesToClient;

    RelayLink(LinkSetup setup) {
        this.name = setup.name();
        this.host = setup.host();
        this.upstream = setup.upstream();
        this.upstreamAddress = setup.upstream().socketAddress();
        this.bufferBytes = setup.bufferBytes();
        this.onClose = setup.onClose();
        this.journal = new LinkJournal();
        this.loop = EventLoops.next();
        this.registry = new FaultRegistry("TCP", ACCEPTED_KINDS, journal, setup.seed(), () -> accepted, this::faultsChanged);
        ServerSocketChannel channel = bindListener(new InetSocketAddress(host, 0));
        this.endpoint = new Endpoint(host, channel.socket().getLocalPort());
        loop.call(() -> register(channel));
    }

    // ---------------------------------------------------------------- Link

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
        checkOpen("inject a fault into");
        check(fault);
        return registry.add(fault);
    }

    @Override
    public List<Fault> faults() {
        return registry.faults();
    }

    @Override
    public void clear() {
        checkOpen("clear");
        registry.clear();
    }

    @Override
    public void partition() {
        checkOpen("partition");
        synchronized (control) {
            if (!partitioned) {
                partitioned = true;
                journal.add(LinkEvent.Type.PARTITIONED, 0, "");
            }
        }
    }

    @Override
    public void heal() {
        checkOpen("heal");
        synchronized (control) {
            if (partitioned) {
                partitioned = false;
                journal.add(LinkEvent.Type.HEALED, 0, "");
            }
        }
        reconsiderAll();
    }

    @Override
    public boolean isPartitioned() {
        return partitioned;
    }

    @Override
    public TcpStats stats() {
        Map<FaultKind, Long> kinds = new EnumMap<>(FaultKind.class);
        for (FaultKind kind : FaultKind.values()) {
            long n = injected.get(kind.ordinal());
            if (n != 0) {
                kinds.put(kind, n);
            }
        }
        long acceptedNow = accepted;
        long closedNow = closedCount;
        return new TcpStats(acceptedNow, Math.max(0, acceptedNow - closedNow), closedNow, refused, bytesToServer,
                bytesToClient, resets, stalls, kinds);
    }

    @Override
    public List<TcpConnection> connections() {
        long now = System.nanoTime();
        List<TcpConnection> list = new ArrayList<>(relays.size());
        for (Relay r : relays.values()) {
            list.add(r.snapshot(now));
        }
        list.sort(Comparator.comparingLong(TcpConnection::id));
        return list;
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
        try {
            registry.discardAll();
            loop.call(() -> {
                closeListener();
                for (Relay r : List.copyOf(relays.values())) {
                    r.close("link closed");
                }
                loop.flushClosed();
            });
        } finally {
            onClose.run();
        }
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "TcpLink[" + name + " " + endpoint + " -> " + upstream + (closed.get() ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- faults

    private void checkOpen(String action) {
        if (closed.get()) {
            throw new IllegalStateException("cannot " + action + " TCP link '" + name + "' (" + endpoint + "): it is closed");
        }
    }

    private static void check(Fault fault) {
        if (fault == null) {
            throw new NullPointerException("fault");
        }
        FaultKind kind = fault.kind();
        if (kind == FaultKind.LOSS && fault.lossModel().length != 1) {
            throw new IllegalArgumentException("fault " + fault + " does not apply to a TCP link: Gilbert-Elliott loss "
                    + "is a datagram model; TCP links accept loss(p), which stalls chunks (bytes preserved)");
        }
        if (kind == FaultKind.REFUSE) {
            double p = fault.probability();
            if (p != 0 && p != 1) {
                throw new IllegalArgumentException("refuse probability " + p + " is not allowed on a TCP link: refusing "
                        + "closes the listening socket for every new connection; use probability 0 or 1");
            }
            if (fault.afterBytes() != 0 || !fault.after().isZero() || fault.onConnection() != 0) {
                throw new IllegalArgumentException("refuse " + fault + " cannot have a trigger (afterBytes, after, "
                        + "onConnection): a refused connection never exists; inject refuse when it should start");
            }
        }
    }

    /** Registry callback on the caller's thread: refuse (listener), then let the loop act. */
    private void faultsChanged() {
        if (closed.get()) {
            return;
        }
        synchronized (control) {
            boolean refuse = false;
            for (ActiveFault af : registry.snapshot()) {
                refuse |= af.fault().kind() == FaultKind.REFUSE && af.fault().probability() == 1;
            }
            if (refuse != refusing) {
                refusing = refuse;
                boolean close = refuse;
                loop.call(() -> applyRefuse(close));
            }
        }
        reconsiderAll();
    }

    /** Lets every connection act on the current faults and partition, once per burst of changes. */
    private void reconsiderAll() {
        if (reconsiderPending.compareAndSet(false, true)) {
            loop.execute(() -> {
                reconsiderPending.set(false);
                List<ActiveFault> active = Arrays.asList(registry.snapshot());
                sharedBuckets.keySet().removeIf(af -> !active.contains(af));
                for (Relay r : List.copyOf(relays.values())) {
                    r.reconsider();
                }
            });
        }
    }

    TokenBucket sharedBucket(ActiveFault af, Direction direction, long now) {
        TokenBucket[] pair = sharedBuckets.computeIfAbsent(af, k -> new TokenBucket[2]);
        int i = direction == Direction.TO_SERVER ? 0 : 1;
        if (pair[i] == null) {
            pair[i] = new TokenBucket(af.fault().bytesPerSecond(), now);
        }
        return pair[i];
    }

    /** True when no fault is active and the link is not partitioned: flows may take the fast path. */
    boolean isPlain() {
        return registry.snapshot().length == 0 && !partitioned;
    }

    // ---------------------------------------------------------------- listener (loop thread)

    private ServerSocketChannel bindListener(InetSocketAddress address) {
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, BACKLOG);
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Nothing bound.
                }
            }
            throw new UncheckedIOException("TCP link '" + name + "' cannot listen on " + address, e);
        }
    }

    private void register(ServerSocketChannel channel) {
        try {
            listener = channel;
            listenerKey = loop.register(channel, SelectionKey.OP_ACCEPT, (Handler) ops -> acceptAll(ACCEPTS_PER_WAKEUP));
        } catch (IOException e) {
            throw new UncheckedIOException("TCP link '" + name + "' cannot register its listener", e);
        }
    }

    private void applyRefuse(boolean refuse) {
        if (closed.get()) {
            return;
        }
        if (refuse && listener != null) {
            // Connections whose handshake the kernel completed are live for their clients: take them first.
            acceptAll(Integer.MAX_VALUE);
            closeListener();
            loop.flushClosed();
            countInjected(FaultKind.REFUSE);
            journal.add(LinkEvent.Type.REFUSED, 0, "listening socket " + endpoint + " closed: new connections are refused");
        } else if (!refuse && listener == null) {
            register(bindListener(endpoint.socketAddress()));
            journal.add(LinkEvent.Type.REFUSED, 0, "listening socket " + endpoint + " open again");
        }
    }

    private void closeListener() {
        if (listenerKey != null) {
            listenerKey.cancel();
            listenerKey = null;
        }
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing listener failed", e);
            }
            listener = null;
        }
    }

    private void acceptAll(int max) {
        for (int i = 0; i < max && listener != null; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "TCP link '" + name + "' failed to accept a connection", e);
                return;
            }
            if (channel == null) {
                return;
            }
            InetSocketAddress client;
            try {
                channel.configureBlocking(false);
                Relay.configure(channel);
                client = (InetSocketAddress) channel.getRemoteAddress();
            } catch (IOException e) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Gone already.
                }
                continue;
            }
            long id = accepted + 1;
            accepted = id;
            Relay relay = new Relay(this, id, channel, client);
            relays.put(id, relay);
            journal.add(LinkEvent.Type.ACCEPTED, id, "from " + client);
            relay.start();
        }
    }

    // ---------------------------------------------------------------- counters (loop thread)

    void closed(Relay relay, String why) {
        if (relays.remove(relay.id) != null) {
            journal.add(LinkEvent.Type.CLOSED, relay.id, why); // before the count: a reader awaiting the count sees the event
            closedCount = closedCount + 1;
        }
    }

    void upstreamFailed() {
        refused = refused + 1;
    }

    void countReset() {
        resets = resets + 1;
    }

    void countStall() {
        stalls = stalls + 1;
    }

    void countInjected(FaultKind kind) {
        injected.incrementAndGet(kind.ordinal());
    }

    void countBytes(Direction direction, long bytes) {
        if (direction == Direction.TO_SERVER) {
            bytesToServer = bytesToServer + bytes;
        } else {
            bytesToClient = bytesToClient + bytes;
        }
    }
}
