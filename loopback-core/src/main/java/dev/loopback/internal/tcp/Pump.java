package dev.loopback.internal.tcp;

import dev.loopback.Direction;
import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.Timer;
import dev.loopback.internal.tcp.stage.Allowance;
import dev.loopback.internal.tcp.stage.Stage;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The I/O of one direction of a connection: reads its source socket, writes its destination
 * socket, and asks the connection's stages what it may do. It moves bytes and nothing else; the
 * connection decides what happens to the connection.
 *
 * <p><b>Pass-through.</b> With no stage (no fault, no partition) and nothing queued, bytes are read
 * into the loop's shared buffer and written on at once: no copy, no allocation. What the destination
 * does not take is copied into the {@link SegmentQueue}; while bytes are queued, reads go straight
 * into its chunks and writes straight out of them.
 *
 * <p><b>With stages</b>, every read goes into the queue, marked with release times by position:
 * the range of each segment gets {@code max(previous release, read time + the delays the stages
 * give that position)}. Every write first takes an {@link Allowance} — the bytes due, narrowed by
 * each stage — and writes that much, waits until a time, holds, or discards.
 *
 * <p><b>Bound and window.</b> The queue holds at most the link's bound of bytes due (released by
 * their marks, not yet written), or one pass-through read more (what the destination did not take
 * of it): when full, the pump stops reading its source (and reads again only when half of the bound
 * is free), so the sender's socket buffers fill and its writes block, as on a slow network. Bytes not yet due — delayed by a latency — are bounded apart, by this direction's
 * share of the link's window: {@code window × d / (d + r)} for a mean delay {@code d} this way and
 * {@code r} back, so a bulk transfer reaches {@code window / (d + r)}, what a real path with that
 * round trip and window allows. Loop thread only.
 */
final class Pump {

    private static final int READS_PER_WAKEUP = 4;

    private final Connection connection;
    private final Direction direction;
    private final EventLoop loop;
    private final long bound;
    private final long windowBytes;
    private final SegmentQueue queue;
    private final Allowance allowance = new Allowance();
    private Side source;
    private Side destination;
    private volatile long forwarded;
    private boolean sourceEnded;
    private long endedAt;
    private boolean finSent;
    private boolean wantsWrite;
    private boolean full;
    private Timer flushTimer;
    private Timer finTimer;
    private Stage @Nullable [] windowOf;
    private long window;

    Pump(Connection connection, Direction direction, EventLoop loop, long bound, long windowBytes) {
        this.connection = connection;
        this.direction = direction;
        this.loop = loop;
        this.bound = bound;
        this.windowBytes = windowBytes;
        this.queue = new SegmentQueue(loop);
    }

    void source(Side side) {
        this.source = side;
    }

    void destination(Side side) {
        this.destination = side;
    }

    Direction direction() {
        return direction;
    }

    /** Bytes written to the destination so far; any thread. */
    long forwarded() {
        return forwarded;
    }

    boolean sourceEnded() {
        return sourceEnded;
    }

    boolean finSent() {
        return finSent;
    }

    boolean wantsWrite() {
        return wantsWrite;
    }

    /**
     * Whether this pump reads before the upstream is open: the client's bytes are queued meanwhile,
     * so that the connection sees the client close or reset while the upstream waits to be dialled.
     */
    private boolean readsEarly() {
        return direction == Direction.TO_SERVER && connection.isConnecting();
    }

    /** Whether the source should be read: open, not ended, and the queue not full (with hysteresis), or draining after a cut. */
    boolean wantsRead() {
        if (sourceEnded) {
            return false;
        }
        if (connection.isCut()) {
            return true;
        }
        if (!connection.isOpen() && !readsEarly()) {
            return false;
        }
        // Once full, read again only when there is room for a large read, so reads stay large and
        // the selector's interest does not flip for every write.
        long room = room();
        if (room <= 0) {
            full = true;
        } else if (room >= (window == 0 ? bound / 2 : Math.min(bound / 2, window / 16))) {
            full = false;
        }
        return !full;
    }

    /** How many bytes may be read now: due bytes within the bound, delayed ones within the window's share. */
    private long room() {
        long size = queue.size();
        if (window() == 0) {
            return bound - size;
        }
        long due = queue.due(System.nanoTime());
        return Math.min(bound - due, window - (size - due));
    }

    /**
     * This direction's share of the window for delayed bytes, by the stages' mean delays this way
     * and back; 0 when nothing delays this way (then the bound alone applies, as to every byte).
     */
    private long window() {
        Stage[] stages = connection.stages();
        if (stages != windowOf) {
            windowOf = stages;
            Direction back = direction == Direction.TO_SERVER ? Direction.TO_CLIENT : Direction.TO_SERVER;
            long ahead = 0;
            long behind = 0;
            for (Stage s : stages) {
                ahead += s.meanDelay(direction);
                behind += s.meanDelay(back);
            }
            window = ahead <= 0 ? 0 : Math.max(1, (long) (windowBytes * ((double) ahead / (ahead + behind))));
        }
        return window;
    }

    // ---------------------------------------------------------------- reading

    void onReadable() throws IOException {
        if (connection.isCut()) {
            discardInput();
            return;
        }
        for (int i = 0; i < READS_PER_WAKEUP && (connection.isOpen() || readsEarly()) && !sourceEnded; i++) {
            long room = room();
            if (room <= 0) {
                break;
            }
            Stage[] stages = connection.stages();
            boolean through = stages.length == 0 && queue.isEmpty() && connection.isOpen();
            boolean more = through ? readThrough() : readQueued(room, stages);
            if (!more) {
                break;
            }
        }
        interest();
    }

    /**
     * Reads as much as the loop's buffer takes and writes it on at once, so that a bulk transfer
     * moves in large reads whatever the bound; returns true if the source may have more. What the
     * destination does not take is queued, beyond the bound if need be (by at most one read), and
     * the source is not read again until the queue has drained to half the bound.
     */
    private boolean readThrough() throws IOException {
        ByteBuffer b = loop.readBuffer();
        b.clear();
        int n = source.channel().read(b);
        if (n <= 0) {
            if (n < 0) {
                ended();
            }
            return false;
        }
        b.flip();
        int w = destination.channel().write(b);
        queue.passed(w);
        if (w > 0) {
            counted(w);
        }
        if (b.hasRemaining()) {
            queue.append(b);
            wantsWrite = true;
            return true;
        }
        return n == b.limit();
    }

    /** Reads into the queue, marks the new bytes' release times, and writes what is allowed. */
    private boolean readQueued(long room, Stage[] stages) throws IOException {
        long start = queue.end();
        long n = queue.readFrom(source.channel(), room);
        if (n <= 0) {
            if (n < 0) {
                ended();
            }
            return false;
        }
        if (stages.length > 0 || !queue.allDue()) {
            mark(start, start + n, stages, System.nanoTime());
        }
        flush();
        return n == room;
    }

    /**
     * Gives the bytes {@code [from, to)} read at {@code now} their release times: the stream is
     * walked range by range, each range ending where a stage's segment ends, and each range is due
     * at {@code now} plus the sum of the delays the stages give it (saturating, so no sum overflows).
     */
    private void mark(long from, long to, Stage[] stages, long now) {
        long position = from;
        while (position < to) {
            long end = to;
            long delay = 0;
            for (Stage s : stages) {
                long segmentEnd = s.segmentEnd(direction, position);
                if (segmentEnd < end) {
                    end = segmentEnd;
                }
                long d = s.delayAt(direction, position, now);
                delay = delay > Long.MAX_VALUE / 4 - d ? Long.MAX_VALUE / 4 : delay + d;
            }
            queue.mark(end, now + delay);
            position = end;
        }
    }

    /** After a cut: reads and drops whatever the source still sends, until its EOF. */
    private void discardInput() throws IOException {
        ByteBuffer b = loop.readBuffer();
        for (int i = 0; i < READS_PER_WAKEUP; i++) {
            b.clear();
            int n = source.channel().read(b);
            if (n < 0) {
                sourceEnded = true;
                source.interest();
                connection.cutSideEnded();
                return;
            }
            if (n > 0 && direction == Direction.TO_CLIENT) {
                connection.cutServerSent();
                if (connection.isClosed()) {
                    return;
                }
            }
            if (n < b.capacity()) {
                return;
            }
        }
    }

    private void ended() {
        sourceEnded = true;
        endedAt = System.nanoTime();
        if (!connection.isOpen()) {
            connection.clientEndedEarly();
        } else if (queue.isEmpty()) {
            finish();
        }
    }

    /** The source will send nothing more (a cut before the upstream existed). */
    void sourceGone() {
        sourceEnded = true;
    }

    // ---------------------------------------------------------------- writing

    void onWritable() throws IOException {
        flush();
        interest();
    }

    /** Writes what is allowed now, reporting an I/O failure to the connection. */
    void flushQuietly() {
        try {
            flush();
            interest();
        } catch (IOException e) {
            connection.failed(destination, e);
        }
    }

    /**
     * Writes what the release marks and the stages allow now; arms a timer for what is allowed
     * later; sends FIN once the source has ended and nothing is queued.
     */
    void flush() throws IOException {
        if (!connection.isOpen()) {
            return;
        }
        while (!queue.isEmpty()) {
            Stage[] stages = connection.stages();
            if (stages.length == 0 && queue.allDue()) {
                long w = queue.writeTo(destination.channel(), queue.size());
                counted(w);
                if (!queue.isEmpty()) {
                    wantsWrite = true;
                    return;
                }
                break;
            }
            long now = System.nanoTime();
            allowance.reset(queue.due(now), queue.nextDue(now));
            for (Stage s : stages) {
                s.allow(direction, allowance, now);
            }
            if (allowance.discards()) {
                queue.drop();
                break;
            }
            long allowed = allowance.bytes();
            if (allowed == 0) {
                wantsWrite = false;
                schedule(allowance.wakeAt());
                return;
            }
            long w = queue.writeTo(destination.channel(), allowed);
            if (w > 0) {
                counted(w);
                for (Stage s : stages) {
                    s.wrote(direction, w, now);
                }
                if (!connection.progressed()) {
                    return;
                }
            }
            if (w < allowed) {
                wantsWrite = true;
                return;
            }
        }
        wantsWrite = false;
        if (sourceEnded && queue.isEmpty() && !finSent) {
            finish();
        }
    }

    private void schedule(long at) {
        if (at == Stage.NEVER) {
            if (flushTimer != null) {
                loop.cancel(flushTimer);
            }
            return;
        }
        if (flushTimer == null) {
            flushTimer = connection.timer(this::flushQuietly);
        }
        if (!flushTimer.isArmed() || flushTimer.deadline() != at) {
            loop.schedule(flushTimer, at);
        }
    }

    /** Forwards the source's EOF as FIN to the destination, when the stages allow. */
    private void finish() {
        if (finSent || !connection.isOpen()) {
            return;
        }
        long finAt = endedAt;
        for (Stage s : connection.stages()) {
            long at = s.finAt(direction, endedAt);
            if (at - finAt > 0) {
                finAt = at;
            }
        }
        if (finAt - System.nanoTime() > 0) {
            if (finTimer == null) {
                finTimer = connection.timer(this::finish);
            }
            loop.schedule(finTimer, finAt);
            return;
        }
        try {
            destination.channel().shutdownOutput();
        } catch (IOException e) {
            connection.failed(destination, e);
            return;
        }
        finSent = true;
        connection.finSent(this, destination);
    }

    // ---------------------------------------------------------------- bookkeeping

    @SuppressWarnings("NonAtomicVolatileUpdate") // written by this pump's thread only; volatile for readers
    private void counted(long bytes) {
        forwarded += bytes;
        connection.forwarded(direction, bytes);
    }

    private void interest() {
        source.interest();
        if (destination != null) {
            destination.interest();
        }
    }

    /** Drops everything queued (cut, close) and lets the source be read again. */
    void dropQueued() {
        queue.drop();
        wantsWrite = false;
        if (sourceEnded && connection.isOpen()) {
            finish();
        }
    }

    void cancelTimers() {
        if (flushTimer != null) {
            loop.cancel(flushTimer);
        }
        if (finTimer != null) {
            loop.cancel(finTimer);
        }
    }
}
