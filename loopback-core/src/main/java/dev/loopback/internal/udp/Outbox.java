package dev.loopback.internal.udp;

import dev.loopback.UdpStats.DropCause;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;

/**
 * Sends datagrams on one socket: at once while nothing waits, else in order from a queue bounded
 * in bytes that drains when the socket becomes writable. Used by the loop thread only.
 */
final class Outbox {

    private final Accounting accounting;
    private final DatagramChannel channel;
    /** Where every datagram goes; null on the link's own socket, which sends each to its flow's client. */
    private final InetSocketAddress target;
    private final int boundBytes;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private long queuedBytes;
    private SelectionKey key;

    Outbox(Accounting accounting, DatagramChannel channel, InetSocketAddress target, int boundBytes) {
        this.accounting = accounting;
        this.channel = channel;
        this.target = target;
        this.boundBytes = boundBytes;
    }

    void attach(SelectionKey key) {
        this.key = key;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Sends the datagram in {@code source} (not copied unless it must wait). */
    void send(Flow flow, ByteBuffer source) {
        if (queue.isEmpty()) {
            Boolean sent = trySend(flow, source);
            if (sent == null || sent) {
                return;
            }
        }
        enqueue(Datagram.copyOf(flow, 0, source));
    }

    /** Sends a datagram the link holds. */
    void send(Datagram datagram) {
        if (queue.isEmpty()) {
            Boolean sent = trySend(datagram.flow, datagram.buffer());
            if (sent == null || sent) {
                return;
            }
        }
        enqueue(datagram);
    }

    /** Sends what waits, in order, until the socket would block again. */
    void flush() {
        while (!queue.isEmpty()) {
            Datagram head = queue.peekFirst();
            Boolean sent = trySend(head.flow, head.buffer());
            if (sent != null && !sent) {
                return;
            }
            queue.removeFirst();
            queuedBytes -= head.length;
        }
        if (key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /**
     * Returns true if sent, false if the socket would block, null if the send failed (counted). The
     * datagram is counted as sent before the send, so that a receiver that got it never finds it
     * missing from the counters; the count is taken back if the send does not happen.
     */
    private Boolean trySend(Flow flow, ByteBuffer source) {
        int length = source.remaining();
        accounting.sent(flow, length, 1);
        try {
            if (channel.send(source, target != null ? target : flow.client.address) == 0 && length > 0) {
                accounting.sent(flow, -length, -1);
                return false;
            }
        } catch (IOException e) {
            accounting.sent(flow, -length, -1);
            accounting.sendFailed(flow, e);
            return null;
        }
        return true;
    }

    private void enqueue(Datagram datagram) {
        if (queuedBytes + datagram.length > boundBytes) {
            accounting.dropped(datagram.flow, DropCause.SEND_QUEUE);
            return;
        }
        queue.addLast(datagram);
        queuedBytes += datagram.length;
        if (key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }
}
