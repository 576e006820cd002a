package dev.loopback.internal.udp;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The datagrams waiting on one socket, in order, their bytes copied into direct memory segments
 * rather than one heap array each: a burst of tens of thousands of datagrams then costs the garbage
 * collector nothing to keep (a young collection copying them would stall the engine for tens of
 * milliseconds, long enough for the kernel's buffers to overflow). Segments are allocated as the
 * backlog grows and a few are kept for the next burst. Used by the loop thread only.
 */
final class Backlog {

    /** Size of a segment: larger than any datagram. */
    static final int SEGMENT_BYTES = 1024 * 1024;
    private static final int SPARE_SEGMENTS = 2;

    private final long capacity;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final ArrayDeque<Segment> spare = new ArrayDeque<>();
    private final ArrayDeque<Flow> flows = new ArrayDeque<>();
    private int[] lengths = new int[64];
    private int head;
    private int count;
    private long bytes;

    Backlog(long capacity) {
        this.capacity = capacity;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Appends the datagram in {@code source} (consumed) for {@code flow}; returns false, copying
     * nothing, if it does not fit in the capacity or the JVM has no direct memory left for a segment.
     */
    boolean offer(Flow flow, ByteBuffer source) {
        int length = source.remaining();
        if (bytes + length > capacity) {
            return false;
        }
        Segment tail = segments.peekLast();
        if (tail == null || tail.buffer.capacity() - tail.written < length) {
            tail = spare.isEmpty() ? Segment.allocate() : spare.pop();
            if (tail == null) {
                return false;
            }
            segments.addLast(tail);
        }
        tail.buffer.limit(tail.written + length).position(tail.written);
        tail.buffer.put(source);
        tail.written += length;
        if (count == lengths.length) {
            int[] grown = new int[count * 2];
            for (int i = 0; i < count; i++) {
                grown[i] = lengths[(head + i) % count];
            }
            lengths = grown;
            head = 0;
        }
        lengths[(head + count) % lengths.length] = length;
        count++;
        flows.addLast(flow);
        bytes += length;
        return true;
    }

    /** The flow of the oldest datagram. */
    Flow peekFlow() {
        return flows.peekFirst();
    }

    /** A view of the oldest datagram's bytes, valid until {@link #remove()}. */
    ByteBuffer peek() {
        Segment s = headSegment();
        int length = lengths[head];
        s.buffer.limit(s.read + length).position(s.read);
        return s.buffer;
    }

    /** Drops the oldest datagram. */
    void remove() {
        Segment s = headSegment();
        int length = lengths[head];
        s.read += length;
        head = (head + 1) % lengths.length;
        count--;
        flows.removeFirst();
        bytes -= length;
        if (count == 0) {
            while (!segments.isEmpty()) {
                recycle(segments.pop());
            }
        }
    }

    /**
     * The segment holding the oldest datagram, recycling those read to the end (an empty datagram
     * left at the end of one is read from the next: it has no bytes to be anywhere).
     */
    private Segment headSegment() {
        Segment s = segments.peekFirst();
        while (s.read == s.written && segments.size() > 1) {
            recycle(segments.pop());
            s = segments.peekFirst();
        }
        return s;
    }

    private void recycle(Segment s) {
        s.read = 0;
        s.written = 0;
        if (spare.size() < SPARE_SEGMENTS) {
            spare.push(s);
        }
    }

    private static final class Segment {
        final ByteBuffer buffer;
        int written;
        int read;

        private Segment(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        /** A new segment, or null if the JVM's direct memory limit ({@code -XX:MaxDirectMemorySize}) is reached. */
        static Segment allocate() {
            try {
                return new Segment(ByteBuffer.allocateDirect(SEGMENT_BYTES));
            } catch (OutOfMemoryError e) {
                return null; // the datagram is dropped and counted, as when the queue is full
            }
        }
    }
}
