package dev.loopback.testing.udp;

import dev.loopback.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A test's UDP socket: a real non-blocking {@link DatagramChannel} with 4 MiB buffers, plus a
 * selector so that receiving can time out. Not thread-safe: one thread per peer.
 */
public final class UdpPeer implements AutoCloseable {

    /** A datagram received: its bytes and who sent it. */
    public record Received(byte[] data, InetSocketAddress from) {}

    private final DatagramChannel channel;
    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocate(65_536);

    private UdpPeer(DatagramChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    /** Binds a peer to a kernel-assigned port of {@code host}. */
    public static UdpPeer bind(InetAddress host) {
        DatagramChannel channel = null;
        try {
            channel = open(host);
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new UdpPeer(channel, selector);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a blocking datagram channel with 4 MiB socket buffers on a kernel-assigned port of {@code host}. */
    static DatagramChannel open(InetAddress host) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(new InetSocketAddress(host, 0));
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Returns where this peer is bound. */
    public Endpoint endpoint() {
        try {
            return Endpoint.of((InetSocketAddress) channel.getLocalAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code data} as one datagram to {@code to}. */
    public void send(byte[] data, Endpoint to) {
        send(data, to.socketAddress());
    }

    /** Sends {@code data} as one datagram to {@code to}, retrying while the send buffer is full. */
    public void send(byte[] data, InetSocketAddress to) {
        try {
            for (int attempt = 0; channel.send(ByteBuffer.wrap(data), to) == 0 && data.length > 0; attempt++) {
                if (attempt > 1_000_000) {
                    throw new IllegalStateException("send buffer stays full");
                }
                Thread.onSpinWait();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the next datagram, or null if none arrives within {@code timeout}. */
    public Received receive(Duration timeout) {
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                if (from != null) {
                    buffer.flip();
                    return new Received(Arrays.copyOf(buffer.array(), buffer.limit()), from);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Receives until no datagram has arrived for {@code quiet}. */
    public List<Received> receiveUntilQuiet(Duration quiet) {
        List<Received> all = new ArrayList<>();
        Received next;
        while ((next = receive(quiet)) != null) {
            all.add(next);
        }
        return all;
    }

    /** Receives exactly {@code count} datagrams, failing if one takes longer than {@code timeout}. */
    public List<Received> receive(int count, Duration timeout) {
        List<Received> all = new ArrayList<>(count);
        while (all.size() < count) {
            Received next = receive(timeout);
            if (next == null) {
                throw new AssertionError("received " + all.size() + " of " + count + " datagrams, then none for "
                        + timeout.toMillis() + " ms");
            }
            all.add(next);
        }
        return all;
    }

    @Override
    public void close() {
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
