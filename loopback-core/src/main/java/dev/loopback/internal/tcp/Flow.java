package dev.loopback.internal.tcp;

import dev.loopback.Direction;
import dev.loopback.Fault;
import dev.loopback.FaultKind;
import dev.loopback.LinkEvent;
import dev.loopback.internal.engine.Chunk;
import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.engine.Timer;
import dev.loopback.internal.fault.ActiveFault;
import dev.loopback.internal.random.Delays;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One direction of a relay: reads its source socket and writes its destination socket.
 *
 * <p><b>Fast path.</b> With no fault on the link, no partition and nothing queued, bytes are read
 * into the loop's shared buffer and written on at once: no copy, no allocation, no hand-off.
 * Whatever the destination does not take is copied into pooled chunks.
 *
 * <p><b>Queue.</b> Otherwise each read becomes a chunk stamped with its release time
 * ({@code max(previous release, read time + sampled delay)}: never earlier than its delay, never
 * before an older chunk). The queue holds at most the link's buffer bound; when full, the flow
 * stops reading its source, so the sender's kernel buffers fill and its writes block.
 */
final class Flow {

    private static final int READS_PER_WAKEUP = 4;
    /** Chunks per scattering read or gathering write. */
    private static final int IO_VECTOR = 16;

    final Relay relay;
    final Direction direction;
    Relay.Side src;
    Relay.Side dst;
    boolean srcEof;
    boolean finSent;
    boolean wantWrite;
    volatile long forwarded;
    private final EventLoop loop;
    private final long bound;
    private ArrayDeque<Chunk> queue;
    private long queued;
    private long read;
    private long lastRelease;
    private long eofAt;
    private long sliceLeft;
    private long sliceNextAt;
    private Timer flushTimer;
    private Timer finTimer;
    private ByteBuffer[] vector;
    private Chunk[] scattered;
    private boolean full;

    Flow(Relay relay, Direction direction, Relay.Side src) {
        this.relay = relay;
        this.direction = direction;
        this.src = src;
        this.loop = relay.loop;
        this.bound = relay.link.bufferBytes;
    }

    boolean wantsRead() {
        if (srcEof) {
            return false;
        }
        if (relay.isCut()) {
            return true;
        }
        if (!relay.isOpen()) {
            return false;
        }
        // Hysteresis: once full, read again only when half drained, so reads stay large and the
        // selector's interest does not flip for every write.
        if (queued >= bound) {
            full = true;
        } else if (queued <= bound / 2) {
            full = false;
        }
        return !full;
    }

    // ---------------------------------------------------------------- reading

    void onReadable() throws IOException {
        if (relay.isCut()) {
            discardInput();
            return;
        }
        for (int i = 0; i < READS_PER_WAKEUP && relay.isOpen() && !srcEof; i++) {
            long room = bound - queued;
            if (room <= 0) {
                break;
            }
            boolean plain = relay.link.isPlain();
            boolean more = plain && queued == 0 ? readFast(room) : plain ? readPlainQueued(room) : readQueued(room);
            if (!more) {
                break;
            }
        }
        src.interest();
        if (dst != null) {
            dst.interest();
        }
    }

    /** Reads into the loop's buffer and writes on at once; returns true if the source may have more. */
    private boolean readFast(long room) throws IOException {
        ByteBuffer b = loop.readBuffer();
        b.clear();
        if (room < b.capacity()) {
            b.limit((int) room);
        }
        int n = src.channel.read(b);
        if (n <= 0) {
            if (n < 0) {
                onEof();
            }
            return false;
        }
        read += n;
        b.flip();
        int w = dst.channel.write(b);
        if (w > 0) {
            count(w);
        }
        if (b.hasRemaining()) {
            while (b.hasRemaining()) {
                Chunk c = loop.takeChunk();
                int len = Math.min(c.buffer.capacity(), b.remaining());
                int limit = b.limit();
                b.limit(b.position() + len);
                c.buffer.put(b);
                b.limit(limit);
                c.buffer.flip();
                enqueue(c);
            }
            wantWrite = true;
            return true;
        }
        return n == b.limit();
    }

    /** Reads one stamped chunk into the queue and flushes what is due. */
    private boolean readQueued(long room) throws IOException {
        Chunk c = loop.takeChunk();
        ByteBuffer b = c.buffer;
        if (room < b.capacity()) {
            b.limit((int) room);
        }
        int n;
        try {
            n = src.channel.read(b);
        } catch (IOException e) {
            loop.release(c);
            throw e;
        }
        if (n <= 0) {
            loop.release(c);
            if (n < 0) {
                onEof();
            }
            return false;
        }
        boolean full = n == b.limit();
        b.flip();
        long now = System.nanoTime();
        long delay = delayFor(c, now);
        read += n;
        long releaseAt = Math.max(lastRelease, now + delay);
        c.releaseAt = releaseAt;
        lastRelease = releaseAt;
        enqueue(c);
        flush();
        return full;
    }

    /**
     * With no fault but bytes still queued (the destination is slower than the source): one
     * scattering read into several pooled chunks, then one gathering write of everything due.
     */
    private boolean readPlainQueued(long room) throws IOException {
        int count = (int) Math.min(IO_VECTOR, (room + Chunk.CAPACITY - 1) / Chunk.CAPACITY);
        ByteBuffer[] buffers = vector();
        if (scattered == null) {
            scattered = new Chunk[IO_VECTOR];
        }
        Chunk[] chunks = scattered;
        long want = 0;
        for (int i = 0; i < count; i++) {
            chunks[i] = loop.takeChunk();
            ByteBuffer b = chunks[i].buffer;
            if (room - want < b.capacity()) {
                b.limit((int) (room - want));
            }
            want += b.limit();
            buffers[i] = b;
        }
        long n;
        try {
            n = src.channel.read(buffers, 0, count);
        } catch (IOException e) {
            for (int i = 0; i < count; i++) {
                loop.release(chunks[i]);
                chunks[i] = null;
            }
            throw e;
        } finally {
            Arrays.fill(buffers, null);
        }
        long now = System.nanoTime();
        long releaseAt = Math.max(lastRelease, now);
        lastRelease = releaseAt;
        for (int i = 0; i < count; i++) {
            Chunk c = chunks[i];
            chunks[i] = null;
            if (n > 0 && c.buffer.position() > 0) {
                c.buffer.flip();
                c.releaseAt = releaseAt;
                enqueue(c);
            } else {
                loop.release(c);
            }
        }
        if (n <= 0) {
            if (n < 0) {
                onEof();
            }
            return false;
        }
        read += n;
        flush();
        return n == want;
    }

    private ByteBuffer[] vector() {
        if (vector == null) {
            vector = new ByteBuffer[IO_VECTOR];
        }
        return vector;
    }

    /** Samples the per-chunk faults (latency, loss, slice) for a chunk read at {@code now}. */
    private long delayFor(Chunk c, long now) {
        long delay = 0;
        for (ActiveFault af : relay.faults()) {
            Fault f = af.fault();
            FaultKind kind = f.kind();
            if (!FaultState.perChunk(kind) || !f.direction().covers(direction)) {
                continue;
            }
            FaultState st = relay.state(af);
            if (!st.applies || read < f.afterBytes() || relay.age(now) < f.after().toNanos()) {
                continue;
            }
            switch (kind) {
                case LATENCY -> {
                    if (FaultState.draw(st.random(direction), f.probability())) {
                        delay += Delays.sample(f.distribution(), f.duration().toNanos(), f.jitter().toNanos(),
                                st.random(direction));
                        relay.acted(af, st, "delayed", direction);
                    }
                }
                case LOSS -> {
                    if (FaultState.draw(st.random(direction), f.probability())) {
                        delay += f.duration().toNanos();
                        relay.link.countStall();
                        relay.acted(af, st, "stalled", direction);
                    }
                }
                case SLICE -> {
                    if (FaultState.draw(st.random(direction), f.probability())) {
                        c.sliced = true;
                        relay.acted(af, st, "sliced", direction);
                    }
                }
                default -> {
                    // Not a per-chunk fault.
                }
            }
        }
        return delay;
    }

    private void enqueue(Chunk c) {
        if (queue == null) {
            queue = new ArrayDeque<>(4);
        }
        queue.add(c);
        queued += c.buffer.remaining();
    }

    private void discardInput() throws IOException {
        ByteBuffer b = loop.readBuffer();
        for (int i = 0; i < READS_PER_WAKEUP; i++) {
            b.clear();
            int n = src.channel.read(b);
            if (n < 0) {
                srcEof = true;
                src.interest();
                relay.maybeCutDone();
                return;
            }
            if (n < b.capacity()) {
                return;
            }
        }
    }

    private void onEof() {
        srcEof = true;
        eofAt = System.nanoTime();
        if (queued == 0) {
            finish();
        }
    }

    // ---------------------------------------------------------------- writing

    void onWritable() throws IOException {
        flush();
        src.interest();
        dst.interest();
    }

    void flushQuietly() {
        try {
            flush();
            if (src != null) {
                src.interest();
            }
            if (dst != null) {
                dst.interest();
            }
        } catch (IOException e) {
            relay.failed(dst, e);
        }
    }

    /**
     * Writes what the queue's head and the active faults allow now; arms a timer for what is due
     * later; sends FIN once the source has ended and the queue is empty.
     */
    void flush() throws IOException {
        if (!relay.isOpen()) {
            return;
        }
        while (queued > 0) {
            if (relay.link.partitioned) {
                wantWrite = false;
                return;
            }
            Chunk head = queue.peek();
            long now = System.nanoTime();
            if (queue.size() > 1 && relay.link.isPlain() && queue.peekLast().releaseAt - now <= 0) {
                if (!writeGathered()) {
                    wantWrite = true;
                    return;
                }
                continue;
            }
            if (head.releaseAt - now > 0) {
                wantWrite = false;
                schedule(head.releaseAt);
                return;
            }
            long max = head.buffer.remaining();
            long wakeAt = 0;
            boolean held = false;
            boolean discard = false;
            for (ActiveFault af : relay.faults()) {
                Fault f = af.fault();
                FaultKind kind = f.kind();
                if (FaultState.perChunk(kind) || !f.direction().covers(direction)) {
                    continue;
                }
                FaultState st = relay.state(af);
                if (!st.applies || relay.age(now) < f.after().toNanos()) {
                    continue;
                }
                long trigger = kind == FaultKind.CUT && f.bytes() >= 0 ? Math.max(f.bytes(), f.afterBytes()) : f.afterBytes();
                if (forwarded < trigger) {
                    max = Math.min(max, trigger - forwarded);
                    continue;
                }
                switch (kind) {
                    case FREEZE -> {
                        held = true;
                        relay.acted(af, st, "held", direction);
                    }
                    case BLACKHOLE -> {
                        discard = true;
                        relay.acted(af, st, "discarding", direction);
                    }
                    case BANDWIDTH -> {
                        TokenBucket bucket = f.isShared() ? relay.link.sharedBucket(af, direction, now) : st.bucket(direction, now);
                        long available = bucket.available(now);
                        if (available <= 0) {
                            wakeAt = Math.max(wakeAt, bucket.readyAt(max, now));
                        } else {
                            max = Math.min(max, available);
                        }
                    }
                    case SLICE -> {
                        // Per chunk; handled below.
                    }
                    case RESET, CUT -> {
                        if (relay.fireDue()) {
                            return;
                        }
                    }
                    default -> {
                        // Acts elsewhere (slow open, slow close, refuse).
                    }
                }
            }
            if (held) {
                wantWrite = false;
                return;
            }
            if (discard) {
                dropQueued();
                break;
            }
            ActiveFault slice = head.sliced ? slice() : null; // read once: another thread may remove it
            if (slice != null) {
                if (sliceLeft <= 0) {
                    if (sliceNextAt - now > 0) {
                        wakeAt = Math.max(wakeAt, sliceNextAt);
                    } else {
                        sliceLeft = sliceSize(slice);
                    }
                }
                max = Math.min(max, sliceLeft);
            }
            if (wakeAt != 0) {
                wantWrite = false;
                schedule(wakeAt);
                return;
            }
            ByteBuffer b = head.buffer;
            int limit = b.limit();
            if (max < b.remaining()) {
                b.limit(b.position() + (int) max);
            }
            int w;
            try {
                w = dst.channel.write(b);
            } finally {
                b.limit(limit);
            }
            if (w > 0) {
                queued -= w;
                count(w);
                took(w, now, head.sliced);
            }
            if (!b.hasRemaining()) {
                queue.poll();
                loop.release(head);
            }
            if (w < max) {
                wantWrite = true;
                return;
            }
        }
        wantWrite = false;
        if (srcEof && queued == 0 && !finSent) {
            finish();
        }
    }

    /** Writes the due head of the queue in one gathering write; returns false if the destination is full. */
    private boolean writeGathered() throws IOException {
        ByteBuffer[] buffers = vector();
        int count = 0;
        long total = 0;
        for (Chunk c : queue) {
            if (count == IO_VECTOR) {
                break;
            }
            buffers[count++] = c.buffer;
            total += c.buffer.remaining();
        }
        long w;
        try {
            w = dst.channel.write(buffers, 0, count);
        } finally {
            Arrays.fill(buffers, 0, count, null);
        }
        if (w > 0) {
            queued -= w;
            count((int) w);
        }
        Chunk c;
        while ((c = queue.peek()) != null && !c.buffer.hasRemaining()) {
            queue.poll();
            loop.release(c);
        }
        return w == total;
    }

    private void took(int bytes, long now, boolean sliced) {
        for (ActiveFault af : relay.faults()) {
            Fault f = af.fault();
            if (f.kind() == FaultKind.BANDWIDTH && f.direction().covers(direction)) {
                FaultState st = relay.state(af);
                if (st.applies && forwarded - bytes >= f.afterBytes()) {
                    TokenBucket bucket = f.isShared() ? relay.link.sharedBucket(af, direction, now) : st.bucket(direction, now);
                    bucket.take(bytes);
                    relay.acted(af, st, "limited", direction);
                }
            }
        }
        if (sliced && sliceLeft > 0) {
            sliceLeft -= bytes;
            if (sliceLeft <= 0) {
                ActiveFault af = slice();
                sliceNextAt = now + (af == null ? 0 : af.fault().duration().toNanos());
            }
        }
    }

    private ActiveFault slice() {
        for (ActiveFault af : relay.faults()) {
            if (af.fault().kind() == FaultKind.SLICE && af.fault().direction().covers(direction) && relay.state(af).applies) {
                return af;
            }
        }
        return null;
    }

    private long sliceSize(ActiveFault af) {
        Fault f = af.fault();
        long variation = f.variation();
        return f.bytes() + (variation == 0 ? 0 : relay.state(af).random(direction).nextLong(-variation, variation + 1));
    }

    private void schedule(long at) {
        if (flushTimer == null) {
            flushTimer = Timer.of(this::flushQuietly);
        }
        if (!flushTimer.isArmed() || flushTimer.deadline() != at) {
            loop.schedule(flushTimer, at);
        }
    }

    /** Forwards the source's EOF as FIN to the destination, after any slow-close delay. */
    private void finish() {
        if (finSent || !relay.isOpen()) {
            return;
        }
        long finAt = eofAt;
        for (ActiveFault af : relay.faults()) {
            Fault f = af.fault();
            if (f.kind() == FaultKind.SLOW_CLOSE && f.direction().covers(direction)) {
                FaultState st = relay.state(af);
                if (st.applies) {
                    finAt = Math.max(finAt, eofAt + f.duration().toNanos());
                    relay.acted(af, st, "FIN " + direction + " delayed");
                }
            }
        }
        if (finAt - System.nanoTime() > 0) {
            if (finTimer == null) {
                finTimer = Timer.of(this::finish);
            }
            loop.schedule(finTimer, finAt);
            return;
        }
        try {
            dst.channel.shutdownOutput();
        } catch (IOException e) {
            relay.failed(dst, e);
            return;
        }
        finSent = true;
        relay.link.journal.add(LinkEvent.Type.FIN_SENT, relay.id, "to " + dst.name);
        relay.maybeFinished();
    }

    // ---------------------------------------------------------------- bookkeeping

    private void count(int bytes) {
        forwarded += bytes;
        relay.forwarded(this, bytes);
    }

    /** Drops everything queued (cut, blackhole, close) and lets the source be read again. */
    void dropQueued() {
        if (queue != null) {
            Chunk c;
            while ((c = queue.poll()) != null) {
                loop.release(c);
            }
        }
        queued = 0;
        wantWrite = false;
        if (srcEof && relay.isOpen()) {
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
