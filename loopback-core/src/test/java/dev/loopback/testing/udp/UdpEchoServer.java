package dev.loopback.testing.udp;

import dev.loopback.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A UDP server on its own thread that sends every datagram back to its sender and remembers the senders. */
public final class UdpEchoServer implements AutoCloseable {

    private final DatagramChannel channel;
    private final Thread thread;
    private final Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();
    private final AtomicLong received = new AtomicLong();

    private UdpEchoServer(DatagramChannel channel) {
        this.channel = channel;
        this.thread = new Thread(this::run, "udp-echo-" + endpoint().port());
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts an echo server on a kernel-assigned port of {@code host}. */
    public static UdpEchoServer start(InetAddress host) {
        try {
            return new UdpEchoServer(UdpPeer.open(host));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns where the server listens. */
    public Endpoint endpoint() {
        try {
            return Endpoint.of((InetSocketAddress) channel.getLocalAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns every address that sent the server a datagram. */
    public Set<InetSocketAddress> peers() {
        return Set.copyOf(peers);
    }

    /** Returns how many datagrams the server received. */
    public long received() {
        return received.get();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
        try {
            while (true) {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                received.incrementAndGet();
                peers.add((InetSocketAddress) from);
                buffer.flip();
                channel.send(buffer, from);
            }
        } catch (ClosedChannelException e) {
            // closed by close(): done
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
            thread.join(5_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
