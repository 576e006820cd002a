package dev.loopback.internal.tcp;

import dev.loopback.internal.engine.EventLoop;
import dev.loopback.internal.tcp.stage.Stage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The bytes one direction of a connection holds — read from its source, not yet written — and
 * when each may leave.
 *
 * <p><b>Bytes</b> live in pooled chunks ({@link EventLoop#takeChunk()}) taken from the loop: the source is read straight
 * into them and the destination written straight from them (scattering reads, gathering writes),
 * so a queued byte is copied by the kernel only. An empty queue holds no chunk.
 *
 * <p><b>Release marks</b> say when the bytes up to a stream position may leave: each mark covers
 * the bytes from the previous mark's end to its own end. Marks are made at segment and read
 * boundaries by the pump; a mark's time is never earlier than the one before it, so bytes leave in
 * order and no byte overtakes an older one. Bytes after the last mark leave with it; without any
 * mark every byte is due at once.
 *
 * <p>Positions are stream positions: {@link #end()} is the number of bytes the direction has read
 * from its source, bytes written straight through included ({@link #passed}). Loop thread only.
 */
final class SegmentQueue {

    private static final int CHUNK = EventLoop.CHUNK_BYTES;

    private final EventLoop loop;
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>(4);
    /** Read index in the first chunk. */
    private int headIndex;
    /** Write index in the last chunk. */
    private int tailIndex = CHUNK;
    /** Stream position of the first queued byte. */
    private long head;
    private long size;
    private long[] markEnd = new long[0];
    private long[] markAt = new long[0];
    private int firstMark;
    private int marks;
    private long lastRelease;
    private boolean released;

    SegmentQueue(EventLoop loop) {
        this.loop = loop;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long size() {
        return size;
    }

    /** The stream position after the last byte read: bytes read so far. */
    long end() {
        return head + size;
    }

    /** Counts {@code bytes} read and written straight through while the queue was empty. */
    void passed(long bytes) {
        head += bytes;
    }

    /**
     * Reads up to {@code max} bytes from {@code source} into the queue; returns the bytes read, 0 if
     * none were there, -1 at end of stream.
     */
    long readFrom(SocketChannel source, long max) throws IOException {
        ByteBuffer[] vector = loop.vector();
        int count = 0;
        long room = 0;
        if (tailIndex < CHUNK) {
            ByteBuffer tail = chunks.peekLast();
            tail.limit((int) Math.min(CHUNK, tailIndex + max)).position(tailIndex);
            vector[count++] = tail;
            room = tail.remaining();
        }
        int fresh = count;
        while (room < max && count < vector.length) {
            ByteBuffer b = loop.takeChunk();
            b.limit((int) Math.min(CHUNK, max - room));
            vector[count++] = b;
            room += b.limit();
        }
        long n = -1;
        try {
            n = source.read(vector, 0, count);
        } finally {
            if (n > 0 && fresh == 1) {
                tailIndex = vector[0].position();
            }
            for (int i = fresh; i < count; i++) {
                if (n > 0 && vector[i].position() > 0) {
                    chunks.addLast(vector[i]);
                    tailIndex = vector[i].position();
                } else {
                    loop.release(vector[i]);
                }
            }
            Arrays.fill(vector, 0, count, null);
        }
        if (n > 0) {
            size += n;
        }
        return n;
    }

    /** Appends the remaining bytes of {@code source}, copying them into chunks. */
    void append(ByteBuffer source) {
        while (source.hasRemaining()) {
            if (tailIndex == CHUNK) {
                chunks.addLast(loop.takeChunk());
                tailIndex = 0;
            }
            ByteBuffer tail = chunks.peekLast();
            int n = Math.min(CHUNK - tailIndex, source.remaining());
            tail.limit(tailIndex + n).position(tailIndex);
            int limit = source.limit();
            source.limit(source.position() + n);
            tail.put(source);
            source.limit(limit);
            tailIndex += n;
            size += n;
        }
    }

    /** Writes up to {@code max} queued bytes to {@code destination}; returns how many it took. */
    long writeTo(SocketChannel destination, long max) throws IOException {
        ByteBuffer[] vector = loop.vector();
        int count = 0;
        long total = 0;
        int last = chunks.size() - 1;
        int i = 0;
        for (ByteBuffer c : chunks) {
            if (count == vector.length || total == max) {
                break;
            }
            int from = i == 0 ? headIndex : 0;
            int to = i == last ? tailIndex : CHUNK;
            int take = (int) Math.min(to - from, max - total);
            c.limit(from + take).position(from);
            vector[count++] = c;
            total += take;
            i++;
        }
        long written;
        try {
            written = count == 1 ? destination.write(vector[0]) : destination.write(vector, 0, count);
        } finally {
            Arrays.fill(vector, 0, count, null);
        }
        if (written > 0) {
            consume(written);
        }
        return written;
    }

    /** Drops every queued byte, as if written. */
    void drop() {
        consume(size);
    }

    // ---------------------------------------------------------------- release marks

    /**
     * Marks the bytes up to stream position {@code end} (from the previous mark's end) as due at
     * {@code releaseAt}, or at the previous mark's time if that is later.
     */
    void mark(long end, long releaseAt) {
        if (released && lastRelease - releaseAt > 0) {
            releaseAt = lastRelease;
        }
        released = true;
        lastRelease = releaseAt;
        if (marks > 0 && markAt[slot(marks - 1)] == releaseAt) {
            markEnd[slot(marks - 1)] = end;
            return;
        }
        if (marks == markEnd.length) {
            grow();
        }
        int s = slot(marks);
        markEnd[s] = end;
        markAt[s] = releaseAt;
        marks++;
    }

    /** True if every queued byte is due whatever the time: no mark is pending. */
    boolean allDue() {
        return marks == 0;
    }

    /** Returns how many queued bytes are due at {@code now}. */
    long due(long now) {
        for (int i = 0; i < marks; i++) {
            int s = slot(i);
            if (markAt[s] - now > 0) {
                return i == 0 ? 0 : markEnd[slot(i - 1)] - head;
            }
        }
        return size;
    }

    /** Returns when the next queued bytes not due at {@code now} become due, or {@link Stage#NEVER}. */
    long nextDue(long now) {
        for (int i = 0; i < marks; i++) {
            long at = markAt[slot(i)];
            if (at - now > 0) {
                return at;
            }
        }
        return Stage.NEVER;
    }

    // ---------------------------------------------------------------- internals

    private void consume(long bytes) {
        size -= bytes;
        head += bytes;
        long left = bytes;
        while (left > 0) {
            int available = (chunks.size() == 1 ? tailIndex : CHUNK) - headIndex;
            if (left < available) {
                headIndex += (int) left;
                break;
            }
            left -= available;
            loop.release(chunks.pollFirst());
            headIndex = 0;
        }
        if (chunks.isEmpty()) {
            headIndex = 0;
            tailIndex = CHUNK;
        }
        while (marks > 0 && markEnd[firstMark] <= head) {
            firstMark = slot(1);
            marks--;
        }
        if (size == 0) {
            marks = 0;
            firstMark = 0;
        }
    }

    private int slot(int i) {
        return (firstMark + i) % markEnd.length;
    }

    private void grow() {
        int n = Math.max(4, markEnd.length * 2);
        long[] ends = new long[n];
        long[] ats = new long[n];
        for (int i = 0; i < marks; i++) {
            ends[i] = markEnd[slot(i)];
            ats[i] = markAt[slot(i)];
        }
        markEnd = ends;
        markAt = ats;
        firstMark = 0;
    }
}
