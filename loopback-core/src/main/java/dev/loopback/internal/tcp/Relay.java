package dev.loopback.internal.tcp;

import dev.loopback.Direction;
import dev.loopback.Fault;
import dev.loopback.FaultKind;
import dev.loopback.LinkEvent;
import dev.loopback.TcpConnection;
import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.Handler;
import dev.loopback.internal.engine.Timer;
import dev.loopback.internal.fault.ActiveFault;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One client connection through a link and its upstream connection: two {@link Flow}s, one per
 * direction, and the per-connection state of every active fault. Loop thread only, except the
 * volatile byte counters read by {@link #snapshot()}.
 */
final class Relay {

    private static final int CONNECTING = 0;
    private static final int OPEN = 1;
    private static final int CUT = 2;
    private static final int CLOSED = 3;

    final RelayLink link;
    final EventLoop loop;
    final long id;
    final long acceptedAt = System.nanoTime();
    final InetSocketAddress clientAddress;
    final Side client;
    Side upstream;
    final Flow toServer;
    final Flow toClient;

    /** Requested {@code SO_SNDBUF} of the relay's sockets; see {@link #configure}. */
    static final int SEND_BUFFER_BYTES = 4 * 1024 * 1024;

    private int state = CONNECTING;
    private boolean dialed;
    private boolean firstByte;
    private ActiveFault[] seen = new ActiveFault[0];
    private final Map<ActiveFault, FaultState> states = new IdentityHashMap<>(4);
    private final Timer evaluateTimer = Timer.of(this::evaluate);
    private final Timer openTimer = Timer.of(this::open);

    Relay(RelayLink link, long id, SocketChannel clientChannel, InetSocketAddress clientAddress) {
        this.link = link;
        this.loop = link.loop;
        this.id = id;
        this.clientAddress = clientAddress;
        this.client = new Side("client", clientChannel);
        this.toServer = new Flow(this, Direction.TO_SERVER, client);
        this.toClient = new Flow(this, Direction.TO_CLIENT, null);
        client.in = toServer;
        client.out = toClient;
        toClient.dst = client;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Registers the client side, applies connection faults, and dials upstream (at once or later). */
    void start() {
        try {
            client.key = loop.register(client.channel, 0, client);
        } catch (IOException e) {
            abort(true, true, "client registration failed: " + e.getMessage());
            return;
        }
        evaluate();
        open();
    }

    /** Dials upstream unless a partition or a slow-open fault holds the connection back. */
    void open() {
        if (state != CONNECTING || dialed || link.partitioned) {
            return;
        }
        long openAt = acceptedAt;
        for (ActiveFault af : faults()) {
            if (af.fault().kind() == FaultKind.SLOW_OPEN && state(af).applies) {
                long at = acceptedAt + af.fault().duration().toNanos();
                if (at > openAt) {
                    openAt = at;
                }
            }
        }
        long now = System.nanoTime();
        if (openAt - now > 0) {
            if (!openTimer.isArmed()) {
                for (ActiveFault af : faults()) {
                    if (af.fault().kind() == FaultKind.SLOW_OPEN && state(af).applies) {
                        acted(af, state(af), "upstream dialled after " + af.fault().duration().toMillis() + " ms");
                    }
                }
            }
            loop.schedule(openTimer, openAt);
            return;
        }
        dial();
    }

    private void dial() {
        dialed = true;
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            configure(channel);
            channel.bind(new InetSocketAddress(link.host, 0));
            upstream = new Side("upstream", channel);
            upstream.in = toClient;
            upstream.out = toServer;
            toClient.src = upstream;
            toServer.dst = upstream;
            if (channel.connect(link.upstreamAddress)) {
                upstream.key = loop.register(channel, 0, upstream);
                connected();
            } else {
                upstream.connecting = true;
                upstream.key = loop.register(channel, SelectionKey.OP_CONNECT, upstream);
                upstream.ops = SelectionKey.OP_CONNECT;
            }
        } catch (IOException e) {
            upstreamFailed(e);
        }
    }

    /**
     * Socket options of both of a relay's sockets: no Nagle delay, and a fixed send buffer of
     * {@link #SEND_BUFFER_BYTES} (the kernel doubles it and caps it at {@code net.core.wmem_max}).
     * Bulk throughput went from a median 0.55× to 0.60× direct loopback over kernel send-buffer
     * autotuning (docs/benchmarks.md, "Bulk throughput experiments"). Bytes in the kernel are
     * outside the link's buffer bound, as they always were.
     */
    static void configure(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
    }

    void finishConnect() {
        try {
            upstream.channel.finishConnect();
            upstream.connecting = false;
            connected();
        } catch (IOException e) {
            upstreamFailed(e);
        }
    }

    private void connected() {
        state = OPEN;
        link.journal.add(LinkEvent.Type.UPSTREAM_CONNECTED, id, "from " + localAddress(upstream));
        client.interest();
        upstream.interest();
        evaluate();
    }

    private void upstreamFailed(IOException e) {
        link.upstreamFailed();
        link.journal.add(LinkEvent.Type.UPSTREAM_FAILED, id, link.upstreamAddress + ": " + e);
        abort(true, true, "upstream " + link.upstreamAddress + " unreachable");
    }

    /** Both directions have forwarded their FIN: closes both sockets. */
    void maybeFinished() {
        if (toServer.finSent && toClient.finSent && state != CLOSED) {
            close("both directions closed");
        }
    }

    /** A cut connection whose sides have both sent EOF: closes the sockets. */
    void maybeCutDone() {
        if (state == CUT && toServer.srcEof && (upstream == null || toClient.srcEof)) {
            close("cut");
        }
    }

    /** Closes both sockets normally (FIN, or RST where unread data remains); releases everything. */
    void close(String why) {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        release();
        closeQuietly(client);
        closeQuietly(upstream);
        link.closed(this, why);
    }

    /** Closes with SO_LINGER 0 (RST) on the chosen sides, normally on the others. */
    void abort(boolean rstClient, boolean rstUpstream, String why) {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        release();
        if (rstClient) {
            link.journal.add(LinkEvent.Type.RST_SENT, id, "to client: " + why);
        }
        if (rstUpstream && upstream != null) {
            link.journal.add(LinkEvent.Type.RST_SENT, id, "to upstream: " + why);
        }
        closeSide(client, rstClient);
        closeSide(upstream, rstUpstream);
        link.closed(this, why);
    }

    /** An I/O error on {@code side} (reset by its peer, broken pipe): the other side is reset too, as it would be. */
    void failed(Side side, IOException e) {
        String message = side.name + " " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        abort(true, true, message);
    }

    /** Stops forwarding and sends FIN both ways; reads are discarded until each side closes. */
    void cut(String why) {
        if (state == CLOSED || state == CUT) {
            return;
        }
        state = CUT;
        toServer.dropQueued();
        toClient.dropQueued();
        loop.cancel(evaluateTimer);
        loop.cancel(openTimer);
        shutdownQuietly(client, "client", why);
        if (upstream == null || upstream.connecting) {
            toClient.srcEof = true;
            closeSide(upstream, false);
            upstream = null;
        } else {
            shutdownQuietly(upstream, "upstream", why);
        }
        client.interest();
        if (upstream != null) {
            upstream.interest();
        }
        maybeCutDone();
    }

    boolean isOpen() {
        return state == OPEN;
    }

    boolean isCut() {
        return state == CUT;
    }

    private void release() {
        loop.cancel(evaluateTimer);
        loop.cancel(openTimer);
        toServer.dropQueued();
        toClient.dropQueued();
        toServer.cancelTimers();
        toClient.cancelTimers();
    }

    private void shutdownQuietly(Side side, String name, String why) {
        try {
            side.channel.shutdownOutput();
            link.journal.add(LinkEvent.Type.FIN_SENT, id, "to " + name + ": " + why);
        } catch (IOException ignored) {
            // The peer is gone already; its reads will report it.
        }
    }

    private static void closeSide(Side side, boolean rst) {
        if (side == null) {
            return;
        }
        if (rst) {
            try {
                side.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException ignored) {
                // Closed already.
            }
        }
        closeQuietly(side);
    }

    private static void closeQuietly(Side side) {
        if (side == null) {
            return;
        }
        try {
            side.channel.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }

    private static String localAddress(Side side) {
        try {
            return String.valueOf(side.channel.getLocalAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    // ---------------------------------------------------------------- faults

    ActiveFault[] faults() {
        ActiveFault[] now = link.registry.snapshot();
        if (now != seen) {
            if (!states.isEmpty()) {
                states.keySet().removeIf(af -> !contains(now, af));
            }
            seen = now;
        }
        return now;
    }

    private static boolean contains(ActiveFault[] faults, ActiveFault af) {
        for (ActiveFault f : faults) {
            if (f == af) {
                return true;
            }
        }
        return false;
    }

    /** Returns this connection's state of {@code af}, deciding once whether the fault applies to it. */
    FaultState state(ActiveFault af) {
        FaultState st = states.get(af);
        if (st == null) {
            st = new FaultState(af, id);
            states.put(af, st);
        }
        return st;
    }

    /**
     * Counts a fault's action (every chunk or write for per-chunk faults and bandwidth, once per
     * connection for the others) and journals the first one on this connection.
     */
    void acted(ActiveFault af, FaultState st, String detail) {
        acted(af, st, detail, null);
    }

    /**
     * As {@link #acted(ActiveFault, FaultState, String)} for a per-chunk action in {@code direction}
     * (null for none): the journal's text is built only the first time, not for every chunk.
     */
    void acted(ActiveFault af, FaultState st, String verb, Direction direction) {
        FaultKind kind = af.fault().kind();
        if (FaultState.perChunk(kind) || kind == FaultKind.BANDWIDTH || !st.journaled) {
            link.countInjected(kind);
        }
        if (!st.journaled) {
            st.journaled = true;
            link.journal.add(LinkEvent.Type.FAULT_FIRED, id,
                    af.fault() + ": " + (direction == null ? verb : verb + " " + direction));
        }
    }

    long age(long now) {
        return now - acceptedAt;
    }

    /**
     * Applies connection-wide faults (reset, cut by bytes or time) whose triggers have fired, arms
     * a timer for the next time trigger, then lets both flows move data under the current faults.
     */
    void evaluate() {
        if (!fireDue() && state == OPEN) {
            toServer.flushQuietly();
            if (state == OPEN) {
                toClient.flushQuietly();
            }
        }
    }

    /** Applies reset and cut faults whose triggers have fired; returns true if the connection ended or was cut. */
    boolean fireDue() {
        if (state == CLOSED || state == CUT) {
            return true;
        }
        long now = System.nanoTime();
        long next = 0;
        boolean armed = false;
        for (ActiveFault af : faults()) {
            Fault f = af.fault();
            FaultKind kind = f.kind();
            if (kind != FaultKind.RESET && kind != FaultKind.CUT) {
                continue;
            }
            FaultState st = state(af);
            if (!st.applies) {
                continue;
            }
            long due = acceptedAt + f.after().toNanos();
            if (kind == FaultKind.CUT && f.bytes() < 0) {
                due = Math.max(due, acceptedAt + f.duration().toNanos());
            }
            if (due - now > 0) {
                if (!armed || due - next < 0) {
                    next = due;
                    armed = true;
                }
                continue;
            }
            long threshold = kind == FaultKind.CUT && f.bytes() >= 0 ? Math.max(f.bytes(), f.afterBytes()) : f.afterBytes();
            if (!reached(f.direction(), threshold)) {
                continue;
            }
            if (kind == FaultKind.RESET) {
                link.countReset();
                acted(af, st, "reset");
                boolean toClientSide = f.direction().covers(Direction.TO_CLIENT);
                boolean toServerSide = f.direction().covers(Direction.TO_SERVER);
                abort(toClientSide, toServerSide, "reset fault " + f);
            } else {
                acted(af, st, "cut");
                cut("cut fault " + f);
            }
            return true;
        }
        if (armed) {
            loop.schedule(evaluateTimer, next);
        } else {
            loop.cancel(evaluateTimer);
        }
        return false;
    }

    private boolean reached(Direction direction, long bytes) {
        if (bytes == 0) {
            return true;
        }
        return (direction.covers(Direction.TO_SERVER) && toServer.forwarded >= bytes)
                || (direction.covers(Direction.TO_CLIENT) && toClient.forwarded >= bytes);
    }

    /** The link's faults changed, or it healed: act on this connection now. */
    void reconsider() {
        if (state == CONNECTING) {
            evaluate();
            open();
        } else {
            evaluate();
        }
    }

    void forwarded(Flow flow, long bytes) {
        if (!firstByte) {
            firstByte = true;
            link.journal.add(LinkEvent.Type.FIRST_BYTE, id, flow.direction.toString());
        }
        link.countBytes(flow.direction, bytes);
    }

    TcpConnection snapshot(long now) {
        return new TcpConnection(id, clientAddress, Duration.ofNanos(now - acceptedAt), toServer.forwarded, toClient.forwarded);
    }

    // ---------------------------------------------------------------- sockets

    /** One socket of the relay: it is the source of one flow and the destination of the other. */
    final class Side implements Handler {
        final String name;
        final SocketChannel channel;
        SelectionKey key;
        Flow in;
        Flow out;
        int ops;
        boolean connecting;

        Side(String name, SocketChannel channel) {
            this.name = name;
            this.channel = channel;
        }

        @Override
        public void ready(int readyOps) {
            try {
                if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                    finishConnect();
                    return;
                }
                if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                    out.onWritable();
                }
                if ((readyOps & SelectionKey.OP_READ) != 0 && state != CLOSED) {
                    in.onReadable();
                }
            } catch (IOException e) {
                failed(this, e);
            }
        }

        /** Brings the key's interest in line with what the flows want. */
        void interest() {
            if (key == null || !key.isValid()) {
                return;
            }
            int want = connecting ? SelectionKey.OP_CONNECT : 0;
            if (in != null && in.wantsRead()) {
                want |= SelectionKey.OP_READ;
            }
            if (out != null && out.wantWrite) {
                want |= SelectionKey.OP_WRITE;
            }
            if (want != ops) {
                ops = want;
                key.interestOps(want);
            }
        }
    }
}
