package dev.loopback.internal.udp;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The datagrams waiting on one socket, in order, their bytes copied into direct memory segments
 * rather than one heap array each: a burst of tens of thousands of datagrams then costs the garbage
 * collector nothing to keep (a young collection copying them would stall the engine for tens of
 * milliseconds, long enough for the kernel's buffers to overflow). Each datagram is stored as its
 * length and its bytes; segments are allocated as the backlog grows and a few are kept for the next
 * burst. Used by the loop thread only.
 */
final class Backlog {

    /** Size of a segment: larger than any datagram. */
    static final int SEGMENT_BYTES = 1024 * 1024;
    private static final int SPARE_SEGMENTS = 2;

    private final long capacity;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final ArrayDeque<Segment> spare = new ArrayDeque<>();
    /** The flow of each waiting datagram, oldest first. */
    private final ArrayDeque<Flow> flows = new ArrayDeque<>();
    /** Bytes of the waiting datagrams, without their length fields. */
    private long bytes;

    Backlog(long capacity) {
        this.capacity = capacity;
    }

    boolean isEmpty() {
        return flows.isEmpty();
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
        if (tail == null || tail.buffer.capacity() - tail.written < Integer.BYTES + length) {
            tail = spare.isEmpty() ? Segment.allocate() : spare.pop();
            if (tail == null) {
                return false;
            }
            segments.addLast(tail);
        }
        tail.buffer.limit(tail.buffer.capacity()).position(tail.written);
        tail.buffer.putInt(length).put(source);
        tail.written = tail.buffer.position();
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
        int start = s.read + Integer.BYTES;
        s.buffer.limit(start + s.headLength()).position(start);
        return s.buffer;
    }

    /** Sees one waiting datagram: its place from the oldest (0), its flow and a view of its bytes. */
    interface Visitor {
        /** Returns false to stop at this datagram, not counting it. */
        boolean visit(int index, Flow flow, ByteBuffer bytes);
    }

    /**
     * Shows the oldest datagrams, up to {@code max}, oldest first, each view valid until the next;
     * returns how many the visitor took before it stopped or the datagrams ran out.
     */
    int peek(int max, Visitor visitor) {
        int n = 0;
        Iterator<Flow> waiting = flows.iterator();
        for (Segment s : segments) {
            for (int at = s.read; at < s.written && n < max; n++) {
                s.buffer.limit(s.buffer.capacity());
                int length = s.buffer.getInt(at);
                s.buffer.position(at + Integer.BYTES).limit(at + Integer.BYTES + length);
                if (!visitor.visit(n, waiting.next(), s.buffer)) {
                    return n;
                }
                at += Integer.BYTES + length;
            }
            if (n == max) {
                break;
            }
        }
        return n;
    }

    /** Drops the oldest datagram. */
    void remove() {
        Segment s = headSegment();
        int length = s.headLength();
        s.read += Integer.BYTES + length;
        flows.removeFirst();
        bytes -= length;
    }

    /** The segment holding the oldest datagram, recycling those read to the end. */
    private Segment headSegment() {
        Segment s = segments.peekFirst();
        while (s.read == s.written) {
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

        /** The length field of the oldest datagram in this segment (the limit may be a view's). */
        int headLength() {
            buffer.limit(buffer.capacity());
            return buffer.getInt(read);
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
