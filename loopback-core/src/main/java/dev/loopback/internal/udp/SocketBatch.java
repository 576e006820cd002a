package dev.loopback.internal.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Batched system calls ({@code recvmmsg}/{@code sendmmsg}) on one of a link's sockets. This is the
 * Java 17 variant: Java 17 cannot make them, so {@link #of} always returns null and every datagram
 * goes through the socket's {@code DatagramChannel}, one per system call. The JDK 22 variant
 * ({@code META-INF/versions/22}) makes them through the FFM API when native access is enabled.
 */
final class SocketBatch {

    /** Datagrams per batched call. */
    static final int SIZE = 64;

    private SocketBatch() {}

    /** Returns the batched calls on {@code channel}'s socket, or null: on Java 17, never available. */
    static SocketBatch of(DatagramChannel channel) {
        return null;
    }

    /** Names how UDP links move datagrams, for a failing test's report. */
    static String io() {
        return "DatagramChannel, one datagram per system call";
    }

    /** Receives up to {@link #SIZE} datagrams into {@code area}; never called on Java 17. */
    int receive(ByteBuffer area) {
        throw new UnsupportedOperationException();
    }

    /** Sets {@code area}'s position and limit to datagram {@code i} of the last receive; never called on Java 17. */
    ByteBuffer datagram(ByteBuffer area, int i) {
        throw new UnsupportedOperationException();
    }

    /** Who sent datagram {@code i} of the last receive; never called on Java 17. */
    InetSocketAddress sender(int i) {
        throw new UnsupportedOperationException();
    }

    /** The most datagrams one {@link #receive} took; never called on Java 17. */
    int largestReceive() {
        throw new UnsupportedOperationException();
    }

    /** Puts a datagram to send at index {@code i} of the next {@link #send}; never called on Java 17. */
    boolean add(int i, ByteBuffer bytes, InetSocketAddress to) {
        throw new UnsupportedOperationException();
    }

    /** Sends the first {@code count} datagrams added; never called on Java 17. */
    int send(int count) {
        throw new UnsupportedOperationException();
    }
}
