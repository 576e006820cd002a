package dev.loopback.internal.tcp;

import dev.loopback.Direction;
import dev.loopback.LinkEvent;
import dev.loopback.TcpConnection;
import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.Timer;
import dev.loopback.internal.link.AbstractLink;
import dev.loopback.internal.link.ActiveFault;
import dev.loopback.internal.link.FaultState;
import dev.loopback.internal.link.FaultStates;
import dev.loopback.internal.tcp.stage.FaultStage;
import dev.loopback.internal.tcp.stage.PartitionStage;
import dev.loopback.internal.tcp.stage.Stage;
import dev.loopback.internal.tcp.stage.StageContext;
import dev.loopback.internal.tcp.stage.TokenBucket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * The lifecycle of one client connection through a link and its upstream connection: accept,
 * dial, open, cut, close and abort. It moves no bytes — its two {@link Pump}s do — and it owns the
 * stages of the link's faults on this connection, which it asks when to dial and whether a trigger
 * has fired; they act on it through {@link StageContext}.
 *
 * <p><b>Errors.</b> An I/O error on a side (the peer reset, a broken pipe) resets the other side
 * too, as a real connection would. Anything else thrown while serving the connection — by a
 * handler, a timer, a stage — is an engine error: the connection is reset both ways at once, the
 * link journals {@link LinkEvent.Type#ENGINE_ERROR} with the exception and counts it, and every
 * other connection carries on. Loop thread only, except the byte counters read by {@link #snapshot}.
 */
final class Connection implements StageContext {

    private static final int CONNECTING = 0;
    private static final int OPEN = 1;
    private static final int CUT = 2;
    private static final int CLOSED = 3;

    /** Requested {@code SO_SNDBUF} of both of a connection's sockets; see {@link #configure}. */
    static final int SEND_BUFFER_BYTES = 4 * 1024 * 1024;

    private final TcpRelay link;
    private final EventLoop loop;
    private final long id;
    private final long acceptedAt = System.nanoTime();
    private final InetSocketAddress clientAddress;
    private final Side client;
    private Side upstream;
    private final Pump toServer;
    private final Pump toClient;
    private final FaultStates<FaultStage> faultStages;
    private final Timer checkTimer = timer(this::checkTriggers);
    private final Timer dialTimer = timer(this::dial);
    private Stage[] stages = new Stage[0];
    private ActiveFault[] stagesOf = new ActiveFault[0];
    private AbstractLink.Cut stagesCut;
    private PartitionStage partitionStage;
    private int state = CONNECTING;
    private boolean dialled;
    private boolean firstByte;

    Connection(TcpRelay link, long id, SocketChannel clientChannel, InetSocketAddress clientAddress) {
        this.link = link;
        this.loop = link.loop();
        this.id = id;
        this.clientAddress = clientAddress;
        this.faultStages = new FaultStates<>(af -> link.stageFactory().create(af, this), FaultStage[]::new);
        this.toServer = new Pump(this, Direction.TO_SERVER, loop, link.bufferBytes());
        this.toClient = new Pump(this, Direction.TO_CLIENT, loop, link.bufferBytes());
        this.client = new Side(this, "client", clientChannel);
        client.pumps(toServer, toClient);
        toServer.source(client);
        toClient.destination(client);
    }

    /**
     * Socket options of both of a connection's sockets: no Nagle delay, and a fixed send buffer of
     * {@link #SEND_BUFFER_BYTES} (the kernel doubles it and caps it at {@code net.core.wmem_max}).
     * Bytes in the kernel are outside the link's buffer bound.
     */
    static void configure(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Registers the client side, applies the faults that act at once, and dials the upstream when allowed. */
    void start() throws IOException {
        client.register(loop, false);
        checkTriggers();
        dialWhenAllowed();
        client.interest();
    }

    /** The link's faults changed, or it healed: act on this connection now. */
    void reconsider() {
        checkTriggers();
        dialWhenAllowed();
        if (state == OPEN) {
            toServer.flushQuietly();
            if (state == OPEN) {
                toClient.flushQuietly();
            }
        }
    }

    /** Runs {@code action}, treating anything it throws as an engine error of this connection. */
    void safely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            engineError(e);
        }
    }

    /** Returns a timer of this connection: whatever it throws is an engine error of the connection. */
    Timer timer(Runnable action) {
        return Timer.of(action, this::engineError);
    }

    /** Dials the upstream unless a stage holds it back (partition, freeze) or delays it (slow open, latency). */
    private void dialWhenAllowed() {
        if (state != CONNECTING || dialled) {
            return;
        }
        long at = acceptedAt;
        for (Stage s : stages()) {
            long t = s.dialAt(acceptedAt);
            if (t == Stage.NEVER) {
                loop.cancel(dialTimer);
                return; // reconsidered when the faults change or the link heals
            }
            at += t - acceptedAt;
        }
        if (at - System.nanoTime() > 0) {
            loop.schedule(dialTimer, at);
        } else {
            dial();
        }
    }

    private void dial() {
        if (state != CONNECTING || dialled) {
            return;
        }
        dialled = true;
        InetSocketAddress target = link.upstreamFor(clientAddress);
        if (target == null) {
            link.journal(LinkEvent.Type.UPSTREAM_FAILED, id, "no upstream for a client from " + clientAddress);
            abort(true, false, "no upstream for a client from " + clientAddress);
            return;
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            configure(channel);
            channel.bind(new InetSocketAddress(link.host(), 0));
            upstream = new Side(this, "upstream", channel);
            upstream.pumps(toClient, toServer);
            toClient.source(upstream);
            toServer.destination(upstream);
            boolean done = channel.connect(target);
            upstream.register(loop, !done);
            if (done) {
                connected();
            }
        } catch (IOException e) {
            if (upstream == null && channel != null) {
                closeQuietly(channel, false);
            }
            upstreamFailed(e);
        }
    }

    void finishConnect() {
        try {
            upstream.channel().finishConnect();
            upstream.connected();
            connected();
        } catch (IOException e) {
            upstreamFailed(e);
        }
    }

    private void connected() {
        state = OPEN;
        link.journal(LinkEvent.Type.UPSTREAM_CONNECTED, id, "from " + localAddress(upstream));
        client.interest();
        upstream.interest();
        checkTriggers();
        if (state == OPEN) {
            toServer.flushQuietly(); // what the client sent while the upstream was dialled
        }
    }

    /**
     * The client sent its EOF before the upstream was open. If the upstream has not been dialled
     * yet (partition, slow open, freeze), it never is: a client that gave up on a connection whose
     * handshake had not reached the server leaves nothing behind on a real network, so the
     * connection closes and what the client sent is dropped. If the dial is under way, the FIN
     * follows the client's bytes once it completes.
     */
    void clientEndedEarly() {
        if (!dialled && state == CONNECTING) {
            close("client closed before the upstream was dialled: never dialled");
        }
    }

    private void upstreamFailed(IOException e) {
        link.upstreamFailed();
        link.journal(LinkEvent.Type.UPSTREAM_FAILED, id, link.upstreamAddress() + ": " + e);
        abort(true, true, "upstream " + link.upstreamAddress() + " unreachable");
    }

    /** Asks every stage whether a trigger fired; arms the timer for the next one. */
    private void checkTriggers() {
        if (state == CLOSED || state == CUT) {
            return;
        }
        long now = System.nanoTime();
        long next = Stage.NEVER;
        for (Stage s : stages()) {
            long at = s.check(now);
            if (state == CLOSED || state == CUT) {
                return;
            }
            if (at != Stage.NEVER && (next == Stage.NEVER || at - next < 0)) {
                next = at;
            }
        }
        if (next == Stage.NEVER) {
            loop.cancel(checkTimer);
        } else {
            loop.schedule(checkTimer, next);
        }
    }

    /** A pump wrote bytes with stages active: lets byte triggers act; returns false if the connection is no longer open. */
    boolean progressed() {
        checkTriggers();
        return state == OPEN;
    }

    /** A pump sent FIN: once both directions have, the connection is done. */
    void finSent(Pump pump, Side to) {
        link.journal(LinkEvent.Type.FIN_SENT, id, "to " + to.name());
        if (toServer.finSent() && toClient.finSent() && state != CLOSED) {
            close("both directions closed");
        }
    }

    /** A side of a cut connection sent its EOF: once both have, the sockets are closed. */
    void cutSideEnded() {
        if (state == CUT && toServer.sourceEnded() && (upstream == null || toClient.sourceEnded())) {
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
        closeQuietly(client.channel(), false);
        if (upstream != null) {
            closeQuietly(upstream.channel(), false);
        }
        link.closed(this, why);
    }

    /** Closes with {@code SO_LINGER 0} (RST) on the chosen sides, normally on the others. */
    void abort(boolean rstClient, boolean rstUpstream, String why) {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        try {
            release();
        } finally {
            if (rstClient) {
                link.journal(LinkEvent.Type.RST_SENT, id, "to client: " + why);
            }
            if (rstUpstream && upstream != null) {
                link.journal(LinkEvent.Type.RST_SENT, id, "to upstream: " + why);
            }
            closeQuietly(client.channel(), rstClient);
            if (upstream != null) {
                closeQuietly(upstream.channel(), rstUpstream);
            }
            link.closed(this, why);
        }
    }

    /** An I/O error on {@code side} (reset by its peer, broken pipe): the other side is reset too, as it would be. */
    void failed(Side side, IOException e) {
        abort(true, true, side.name() + " " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    /** The engine failed serving this connection: reset both ways at once, journalled and counted by the link. */
    void engineError(Throwable error) {
        link.engineError(id, "connection reset both ways", error);
        try {
            abort(true, true, "engine error: " + error);
        } catch (RuntimeException | Error again) {
            error.addSuppressed(again); // the sockets are closed by then or never will be: nothing more to do
        }
    }

    /** Stops forwarding and sends FIN both ways; reads are discarded until each side closes. */
    @Override
    public void cut(String why) {
        if (state == CLOSED || state == CUT) {
            return;
        }
        state = CUT;
        toServer.dropQueued();
        toClient.dropQueued();
        loop.cancel(checkTimer);
        loop.cancel(dialTimer);
        shutdownQuietly(client, why);
        if (upstream == null || upstream.isConnecting()) {
            toClient.sourceGone();
            if (upstream != null) {
                closeQuietly(upstream.channel(), false);
            }
            upstream = null;
        } else {
            shutdownQuietly(upstream, why);
        }
        client.interest();
        if (upstream != null) {
            upstream.interest();
        }
        cutSideEnded();
    }

    boolean isOpen() {
        return state == OPEN;
    }

    /** Accepted, upstream not open yet (waiting to be dialled, or dialling). */
    boolean isConnecting() {
        return state == CONNECTING;
    }

    boolean isCut() {
        return state == CUT;
    }

    boolean isClosed() {
        return state == CLOSED;
    }

    private void release() {
        loop.cancel(checkTimer);
        loop.cancel(dialTimer);
        toServer.cancelTimers();
        toClient.cancelTimers();
        toServer.dropQueued();
        toClient.dropQueued();
    }

    private void shutdownQuietly(Side side, String why) {
        try {
            side.channel().shutdownOutput();
            link.journal(LinkEvent.Type.FIN_SENT, id, "to " + side.name() + ": " + why);
        } catch (IOException ignored) {
            // The peer is gone already; its reads will report it.
        }
    }

    private static void closeQuietly(SocketChannel channel, boolean rst) {
        if (rst) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException ignored) {
                // Closed already.
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }

    private static String localAddress(Side side) {
        try {
            return String.valueOf(side.channel().getLocalAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    // ---------------------------------------------------------------- stages

    /** The stages acting on this connection now: the partition's while the link is partitioned, then one per active fault. */
    @SuppressWarnings("ReferenceEquality") // the very snapshot and cut the stages were built from, not equal ones
    Stage[] stages() {
        ActiveFault[] faults = link.faultsNow();
        AbstractLink.Cut cut = link.cut();
        if (faults != stagesOf || cut != stagesCut) {
            FaultStage[] perFault = faultStages.of(faults);
            if (cut != null) {
                if (cut != stagesCut) {
                    partitionStage = new PartitionStage(cut.partition(), cut.since(), this);
                }
                Stage[] all = new Stage[perFault.length + 1];
                all[0] = partitionStage;
                System.arraycopy(perFault, 0, all, 1, perFault.length);
                stages = all;
            } else {
                partitionStage = null;
                stages = perFault;
            }
            stagesOf = faults;
            stagesCut = cut;
        }
        return stages;
    }

    // ---------------------------------------------------------------- StageContext

    @Override
    public long id() {
        return id;
    }

    @Override
    public long acceptedAt() {
        return acceptedAt;
    }

    @Override
    public long forwarded(Direction direction) {
        return direction == Direction.TO_SERVER ? toServer.forwarded() : toClient.forwarded();
    }

    @Override
    public void reset(boolean client, boolean server, String why) {
        link.countReset();
        abort(client, server, why);
    }

    @Override
    public void acted(FaultState stage, Direction direction, String verb) {
        link.countInjected(stage.fault().kind());
        journalFirst(stage, direction, verb);
    }

    @Override
    public void actedOnce(FaultState stage, Direction direction, String verb) {
        if (journalFirst(stage, direction, verb)) {
            link.countInjected(stage.fault().kind());
        }
    }

    private boolean journalFirst(FaultState stage, Direction direction, String verb) {
        String first = stage.firstAction(verb, direction);
        if (first != null) {
            link.journal(LinkEvent.Type.FAULT_FIRED, id, first);
            return true;
        }
        return false;
    }

    @Override
    public void stalled() {
        link.countStall();
    }

    @Override
    public TokenBucket sharedBucket(ActiveFault fault, Direction direction, long now) {
        return link.sharedBucket(fault, direction, now);
    }

    // ---------------------------------------------------------------- counters

    /** A pump forwarded {@code bytes}. */
    void forwarded(Direction direction, long bytes) {
        if (!firstByte) {
            firstByte = true;
            link.journal(LinkEvent.Type.FIRST_BYTE, id, direction.toString());
        }
        link.countBytes(direction, bytes);
    }

    TcpConnection snapshot(long now) {
        return new TcpConnection(id, clientAddress, Duration.ofNanos(now - acceptedAt), toServer.forwarded(),
                toClient.forwarded());
    }
}
