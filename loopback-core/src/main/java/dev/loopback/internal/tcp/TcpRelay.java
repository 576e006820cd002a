package dev.loopback.internal.tcp;

import dev.loopback.Bandwidth;
import dev.loopback.Direction;
import dev.loopback.Endpoint;
import dev.loopback.FaultKind;
import dev.loopback.Latency;
import dev.loopback.LinkEvent;
import dev.loopback.Partition;
import dev.loopback.TcpConnection;
import dev.loopback.TcpFault;
import dev.loopback.TcpLink;
import dev.loopback.TcpStats;
import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.EventLoops;
import dev.loopback.internal.engine.Handler;
import dev.loopback.internal.inspect.PortHolders;
import dev.loopback.internal.link.AbstractLink;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.link.Counters;
import dev.loopback.internal.link.LinkSetup;
import dev.loopback.internal.tcp.stage.RefuseStage;
import dev.loopback.internal.tcp.stage.Stages;
import dev.loopback.internal.tcp.stage.SharedBandwidth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A TCP link: its listening socket on the link's host, served by one engine {@link EventLoop},
 * accepting connections into one {@link Connection} each, which the engine loops take in turn (so
 * concurrent transfers through one link use every engine thread); the control plane is
 * {@link AbstractLink}. Control calls change state here and hand the rest to the loops; only
 * refusing (closing the listener) and closing wait for the loops, briefly.
 */
final class TcpRelay extends AbstractLink<TcpFault> implements TcpLink {

    private static final System.Logger LOG = System.getLogger(TcpRelay.class.getName());
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final int BACKLOG = 1024;

    private static final int ACCEPTED = 0;
    private static final int CLOSED = 1;
    private static final int UPSTREAM_FAILED = 2;
    private static final int RESETS = 3;
    private static final int STALLS = 4;
    private static final int BYTES_TO_SERVER = 5;
    private static final int BYTES_TO_CLIENT = 6;
    private static final int INJECTED = 7;

    /** The listener's loop; connection {@code n} is served by the loop {@code n} turns after it. */
    private final EventLoop loop;
    private final int firstLoop;
    private final InetAddress host;
    private final InetSocketAddress upstreamAddress;
    private final int bufferBytes;
    private final int windowBytes;
    private final Endpoint endpoint;
    private final Counters counters = new Counters(INJECTED + FaultKind.values().length);
    private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicBoolean reconsiderPending = new AtomicBoolean();
    private final Object refuseLock = new Object();
    private volatile Stages.Factory stageFactory = Stages::create;
    private volatile @Nullable Function<InetSocketAddress, @Nullable InetSocketAddress> router;
    private boolean refusing;

    /** Any loop thread: the connections of a shared bandwidth may be served by different loops. */
    private final Map<ActiveFault, SharedBandwidth[]> sharedBuckets = new ConcurrentHashMap<>();
    // The listener's loop thread only.
    private ServerSocketChannel listener;
    private SelectionKey listenerKey;
    private SocketChannel portHold; // while refusing: the port, bound without listening (see PortHold)

    TcpRelay(LinkSetup setup) {
        super("TCP", setup);
        this.host = setup.host();
        this.upstreamAddress = setup.upstream().socketAddress();
        this.bufferBytes = setup.bufferBytes();
        this.windowBytes = setup.windowBytes();
        this.firstLoop = EventLoops.nextIndex();
        this.loop = EventLoops.at(firstLoop);
        ServerSocketChannel channel = bindListener(setup.listen());
        this.endpoint = new Endpoint(setup.listen().getAddress(), channel.socket().getLocalPort());
        try {
            loop.call(() -> register(channel));
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    // ---------------------------------------------------------------- Link

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public TcpStats stats() {
        long accepted = counters.get(ACCEPTED);
        long closed = counters.get(CLOSED);
        return new TcpStats(accepted, Math.max(0, accepted - closed), closed, counters.get(UPSTREAM_FAILED),
                counters.get(BYTES_TO_SERVER), counters.get(BYTES_TO_CLIENT), counters.get(RESETS), counters.get(STALLS),
                engineErrors(), counters.byKind(INJECTED));
    }

    @Override
    public List<TcpConnection> connections() {
        long now = System.nanoTime();
        List<TcpConnection> list = new ArrayList<>(connections.size());
        for (Connection c : connections.values()) {
            list.add(c.snapshot(now));
        }
        list.sort(Comparator.comparingLong(TcpConnection::id));
        return list;
    }

    @Override
    protected void check(TcpFault fault) {
        if (fault instanceof Latency latency && latency.preservesOrder()) {
            throw new IllegalArgumentException(fault + ": preserveOrder() is a UDP option; a TCP link never reorders"
                    + " bytes, so it would do nothing here. Drop preserveOrder() for TCP links");
        }
    }

    @Override
    protected long connectionsAccepted() {
        return counters.get(ACCEPTED);
    }

    /** Closes or reopens the listener if a refuse fault came or went, then lets every connection act. */
    @Override
    protected void faultsChanged() {
        synchronized (refuseLock) {
            boolean refuse = RefuseStage.refuses(activeFaults());
            if (refuse != refusing) {
                loop.call(() -> applyRefuse(refuse));
                refusing = refuse;
            }
        }
        reconsiderAll();
    }

    @Override
    protected void partitionChanged() {
        reconsiderAll();
    }

    @Override
    protected String partitionDetail(Partition partition) {
        return "data held where cut; new connections accepted but not dialled"
                + partition.giveUpAfter().map(d -> "; connections reset after " + d.toMillis() + " ms").orElse("");
    }

    @Override
    protected void closeSockets() {
        loop.call(() -> {
            closeListener();
            closeQuietly(portHold);
            portHold = null;
        });
        // The listener is closed, so no connection joins the map any more; each loop closes its own.
        Set<EventLoop> loops = Collections.newSetFromMap(new IdentityHashMap<>());
        loops.add(loop);
        for (Connection c : connections.values()) {
            loops.add(c.loop());
        }
        for (EventLoop l : loops) {
            l.call(() -> {
                for (Connection c : List.copyOf(connections.values())) {
                    if (c.loop() == l) {
                        c.safely(() -> c.close("link closed"));
                    }
                }
                l.flushClosed();
            });
        }
    }

    // ---------------------------------------------------------------- for connections and stages

    InetAddress host() {
        return host;
    }

    InetSocketAddress upstreamAddress() {
        return upstreamAddress;
    }

    /** Where a connection from {@code client} goes: the upstream, or what the router says (null: nowhere). */
    @Nullable InetSocketAddress upstreamFor(InetSocketAddress client) {
        Function<InetSocketAddress, @Nullable InetSocketAddress> r = router;
        return r == null ? upstreamAddress : r.apply(client);
    }

    /** Routes each new connection by its client's address instead of to the upstream (see {@link TcpLinks#route}). */
    void route(Function<InetSocketAddress, @Nullable InetSocketAddress> router) {
        this.router = router;
    }

    int bufferBytes() {
        return bufferBytes;
    }

    int windowBytes() {
        return windowBytes;
    }

    Stages.Factory stageFactory() {
        return stageFactory;
    }

    /** Test seam: replaces how this link makes the stages of its faults (for example one that throws). */
    void stageFactory(Stages.Factory factory) {
        this.stageFactory = factory;
    }

    /** The partition in force, or null. */
    @Nullable Cut cut() {
        return partitionNow();
    }

    ActiveFault[] faultsNow() {
        return activeFaults();
    }

    void journal(LinkEvent.Type type, long id, String detail) {
        journal().add(type, id, detail);
    }

    SharedBandwidth sharedBandwidth(ActiveFault fault, Direction direction, long now) {
        SharedBandwidth[] pair = sharedBuckets.computeIfAbsent(fault, k -> {
            long rate = ((Bandwidth) k.fault()).bytesPerSecond();
            return new SharedBandwidth[] {new SharedBandwidth(rate, now), new SharedBandwidth(rate, now)};
        });
        return pair[direction == Direction.TO_SERVER ? 0 : 1];
    }

    /**
     * Lets every connection act on the current faults and partition, once per burst of changes,
     * each on its own loop (after its start: the listener's loop hands both over in order).
     */
    private void reconsiderAll() {
        if (reconsiderPending.compareAndSet(false, true)) {
            loop.execute(() -> {
                reconsiderPending.set(false);
                List<ActiveFault> active = Arrays.asList(activeFaults());
                sharedBuckets.keySet().removeIf(af -> !active.contains(af));
                for (Connection c : List.copyOf(connections.values())) {
                    c.execute(c::reconsider);
                }
            });
        }
    }

    // ---------------------------------------------------------------- listener (loop thread)

    private ServerSocketChannel bindListener(InetSocketAddress address) {
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            PortHold.prepare(channel);
            channel.bind(address, BACKLOG);
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("TCP link '" + name() + "' cannot listen on "
                    + address.getAddress().getHostAddress() + ":" + address.getPort() + ": " + e.getMessage()
                    + (e instanceof BindException ? " (held by " + PortHolders.of(address.getAddress(), address.getPort()) + ")" : ""),
                    e);
        }
    }

    private void register(ServerSocketChannel channel) {
        try {
            listener = channel;
            listenerKey = loop.register(channel, SelectionKey.OP_ACCEPT, new Handler() {
                @Override
                public void ready(int readyOps) {
                    acceptAll(ACCEPTS_PER_WAKEUP);
                }

                @Override
                public void failed(Throwable error) {
                    engineError(0, "accepting connections goes on", error);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("TCP link '" + name() + "' cannot register its listener", e);
        }
    }

    private void applyRefuse(boolean refuse) {
        if (isClosed()) {
            return;
        }
        if (refuse && listener != null) {
            // Connections whose handshake the kernel completed are live for their clients: take them first.
            acceptAll(Integer.MAX_VALUE);
            try {
                portHold = PortHold.replace(endpoint.socketAddress(), this::closeListener);
            } catch (IOException e) {
                engineError(0, "refusing without holding port " + endpoint.hostPort() + " (listeners there: "
                        + PortHolders.of(endpoint.address(), endpoint.port()) + "), so another socket may take it", e);
            }
            loop.flushClosed();
            counters.increment(INJECTED + FaultKind.REFUSE.ordinal());
            journal(LinkEvent.Type.REFUSED, 0, "listening socket " + endpoint + " closed, port held: new connections are refused");
        } else if (!refuse && listener == null) {
            ServerSocketChannel relisten;
            try {
                relisten = bindListener(endpoint.socketAddress());
            } catch (UncheckedIOException e) {
                // Only if the port could not be held: the fault is gone all the same, so report, never throw.
                engineError(0, "the link cannot listen again and refuses on (listeners there: "
                        + PortHolders.of(endpoint.address(), endpoint.port()) + ")", e);
                return;
            }
            register(relisten);
            closeQuietly(portHold);
            portHold = null;
            journal(LinkEvent.Type.REFUSED, 0, "listening socket " + endpoint + " open again");
        }
    }

    private void closeListener() {
        if (listenerKey != null) {
            listenerKey.cancel();
            listenerKey = null;
        }
        closeQuietly(listener);
        listener = null;
    }

    private void acceptAll(int max) {
        for (int i = 0; i < max && listener != null; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "TCP link '" + name() + "' failed to accept a connection", e);
                return;
            }
            if (channel == null) {
                return;
            }
            InetSocketAddress client;
            try {
                channel.configureBlocking(false);
                Connection.configure(channel);
                client = (InetSocketAddress) channel.getRemoteAddress();
            } catch (IOException e) {
                closeQuietly(channel);
                continue;
            }
            long id = counters.get(ACCEPTED) + 1;
            Connection connection = new Connection(this, EventLoops.at(firstLoop + id), id, channel, client);
            connections.put(id, connection);
            journal(LinkEvent.Type.ACCEPTED, id, "from " + client);
            counters.increment(ACCEPTED);
            connection.execute(() -> {
                try {
                    connection.start();
                } catch (IOException e) {
                    connection.abort(true, true, "client registration failed: " + e.getMessage());
                }
            });
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing bound, or gone already.
        }
    }

    // ---------------------------------------------------------------- counters (any loop thread)

    void closed(Connection connection, String why) {
        if (connections.remove(connection.id()) != null) {
            journal(LinkEvent.Type.CLOSED, connection.id(), why); // before the count: a reader awaiting the count sees the event
            counters.increment(CLOSED);
        }
    }

    void upstreamFailed() {
        counters.increment(UPSTREAM_FAILED);
    }

    void countReset() {
        counters.increment(RESETS);
    }

    void countStall() {
        counters.increment(STALLS);
    }

    void countInjected(FaultKind kind) {
        counters.increment(INJECTED + kind.ordinal());
    }

    void countBytes(Direction direction, long bytes) {
        counters.add(direction == Direction.TO_SERVER ? BYTES_TO_SERVER : BYTES_TO_CLIENT, bytes);
    }
}
