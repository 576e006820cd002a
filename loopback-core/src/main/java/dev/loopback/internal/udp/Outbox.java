package dev.loopback.internal.udp;

import dev.loopback.UdpStats.DropCause;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * Sends datagrams on one socket: at once while nothing waits, else in order from a queue.
 *
 * <p>The queue holds what the kernel would not take, and the rest of a burst: when one wakeup finds
 * more than {@link #SEND_AT_ONCE} datagrams waiting on a socket, the link receives them all before
 * sending them, so the kernel's receive buffer is emptied at the speed of receiving rather than of
 * forwarding, and the backlog waits here. The queue is sent {@link #SEND_AT_ONCE} datagrams per
 * wakeup, so that receiving keeps its turn, and holds at most {@link #QUEUE_BYTES}; a datagram that
 * finds it full is dropped and counted.
 *
 * <p>On a socket with a {@link SocketBatch} (the FFM fast path) every datagram waits in the queue
 * until the wakeup's receives are done, and the queue is sent {@link SocketBatch#SIZE} datagrams
 * per system call, one call per wakeup: about the {@link #SEND_AT_ONCE} sent at once plus the
 * {@link #SEND_AT_ONCE} of a flush without batching, so that receiving keeps its turn and a
 * sustained blast is absorbed the same way (measured: sixteen calls per wakeup lost more of it).
 * The order and the counts are the same; a call that fails or would block leaves the oldest
 * datagram to the channel, which tells which. Used by the loop thread only.
 */
final class Outbox {

    /** Datagrams sent per wakeup before the socket's queue takes the rest (and per flush of the queue). */
    static final int SEND_AT_ONCE = 32;
    /** Bytes a socket's queue may hold: the bursts the link absorbs beyond the kernel's buffers. */
    static final long QUEUE_BYTES = 64L * 1024 * 1024;

    private final Accounting accounting;
    private final DatagramChannel channel;
    /** Where every datagram goes; null on the link's own socket, which sends each to its flow's client. */
    private final InetSocketAddress target;
    /** The batched calls on the socket; null: one datagram per system call. */
    private final SocketBatch batch;
    private final Backlog queue = new Backlog(QUEUE_BYTES);
    private final Backlog.Visitor addToBatch = this::addToBatch;
    private final Backlog.Visitor takeBack = this::takeBack;
    private SelectionKey key;

    Outbox(Accounting accounting, DatagramChannel channel, InetSocketAddress target, SocketBatch batch) {
        this.accounting = accounting;
        this.channel = channel;
        this.target = target;
        this.batch = batch;
    }

    void attach(SelectionKey key) {
        this.key = key;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Sends the datagram in {@code source}, not copied unless it must wait: it waits if others do,
     * or if {@code later} (the wakeup that received it has more to receive).
     */
    void send(Flow flow, ByteBuffer source, boolean later) {
        if (queue.isEmpty() && !later) {
            Boolean sent = trySend(flow, source);
            if (sent == null || sent) {
                return;
            }
        }
        enqueue(flow, source);
    }

    /** Sends a datagram the link holds. */
    void send(Datagram datagram) {
        send(datagram.flow, datagram.buffer(), false);
    }

    /**
     * Sends up to {@link #SEND_AT_ONCE} of what waits (with a {@link SocketBatch}, one batch), in
     * order, unless the socket would block.
     */
    void flush() {
        if (batch != null) {
            if (!queue.isEmpty()) {
                sendBatch();
            }
        } else {
            sendOneByOne();
        }
        if (queue.isEmpty() && key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void sendOneByOne() {
        for (int i = 0; i < SEND_AT_ONCE && !queue.isEmpty(); i++) {
            Boolean sent = trySend(queue.peekFlow(), queue.peek());
            if (sent != null && !sent) {
                return;
            }
            queue.remove();
        }
    }

    /**
     * Sends up to {@link SocketBatch#SIZE} of what waits with one system call, counted as sent before
     * the call as {@link #trySend} counts; if the call fails, the channel sends the oldest, which
     * tells why (the socket would block, or an error, counted).
     */
    private void sendBatch() {
        int count = queue.peek(SocketBatch.SIZE, addToBatch);
        int sent = count == 0 ? -1 : batch.send(count);
        if (sent < 0) {
            queue.peek(count, takeBack);
            if (!Boolean.FALSE.equals(trySend(queue.peekFlow(), queue.peek()))) {
                queue.remove();
            }
            return;
        }
        for (int i = 0; i < sent; i++) {
            queue.remove();
        }
        queue.peek(count - sent, takeBack); // the kernel took part of the batch: its buffer is full
    }

    private boolean addToBatch(int index, Flow flow, ByteBuffer bytes) {
        if (!batch.add(index, bytes, target != null ? target : flow.client.address)) {
            return false;
        }
        accounting.sent(flow, bytes.remaining(), 1);
        return true;
    }

    private boolean takeBack(int index, Flow flow, ByteBuffer bytes) {
        accounting.sent(flow, -bytes.remaining(), -1);
        return true;
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

    private void enqueue(Flow flow, ByteBuffer source) {
        if (!queue.offer(flow, source)) {
            accounting.dropped(flow, DropCause.SEND_QUEUE);
            return;
        }
        if (key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }
}
