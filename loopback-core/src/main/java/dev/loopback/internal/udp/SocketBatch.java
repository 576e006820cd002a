package dev.loopback.internal.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Batched system calls ({@code recvmmsg}/{@code sendmmsg}) on one of a link's sockets. This is the
 * Java 17 variant: Java 17 cannot make them, so {@link #of} always returns null and every datagram
 * goes through the socket's {@code DatagramChannel}, one per system call. The JDK 22 variant
 * ({@code META-INF/versions/22}) makes them through the FFM API when native access is enabled; the
 * methods here only answer as a batch whose every call fails would.
 */
final class SocketBatch {

    /** Datagrams per batched call. */
    static final int SIZE = 64;

    private SocketBatch() {}

    /** The descriptor the next socket will get, to pass to {@link #of}: -1, unknown on Java 17. */
    static int nextDescriptor() {
        return -1;
    }

    /** Returns the batched calls on {@code channel}'s socket, or null: on Java 17, never available. */
    static SocketBatch of(DatagramChannel channel, int hint) {
        return null;
    }

    /** Names how UDP links move datagrams, for a failing test's report. */
    static String io() {
        return "DatagramChannel, one datagram per system call";
    }

    /** Receives up to {@link #SIZE} datagrams into {@code buffer}; -1: the call failed (always, here). */
    int receive(ByteBuffer buffer) {
        return -1;
    }

    /** Sets {@code buffer} to datagram {@code i} of the last receive (none, here). */
    ByteBuffer datagram(ByteBuffer buffer, int i) {
        return buffer.limit(0);
    }

    /** Who sent datagram {@code i} of the last receive (nobody, here). */
    InetSocketAddress sender(int i) {
        return null;
    }

    /** The most datagrams one receive took (none, here). */
    int largestReceive() {
        return 0;
    }

    /** Puts a datagram to send at message {@code i} of the next {@link #send}; false: it cannot (always, here). */
    boolean add(int i, ByteBuffer bytes, InetSocketAddress to) {
        return false;
    }

    /** Sends the first {@code count} datagrams added; -1: the call failed (always, here). */
    int send(int count) {
        return -1;
    }
}
