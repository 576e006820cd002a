package dev.loopback.testing.udp;

import dev.loopback.UdpLink;
import dev.loopback.UdpStats;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Client → link → sink traffic for tests of faults acting toward the server. Sends in batches and
 * waits until the link has settled each batch (every datagram it received is sent or dropped,
 * nothing held) and the sink has received everything the link sent, so that no socket buffer
 * overflows and every missing datagram was dropped by the link.
 */
public final class OneWay implements AutoCloseable {

    private final UdpLink link;
    private final UdpPeer client;
    private final UdpPeer sink;
    private final List<byte[]> received = new ArrayList<>();
    private long sent;

    /** Binds a client on {@code clientHost} that sends through {@code link}, whose upstream is {@code sink}. */
    public OneWay(InetAddress clientHost, UdpLink link, UdpPeer sink) {
        this.link = link;
        this.client = UdpPeer.bind(clientHost);
        this.sink = sink;
    }

    /** Sends {@code datagram} to the link. */
    public void send(byte[] datagram) {
        client.send(datagram, link.endpoint());
        sent++;
    }

    /** Returns how many datagrams were sent. */
    public long sent() {
        return sent;
    }

    /** Waits until the link received every datagram sent so far (it may still hold some). */
    public void awaitReceivedByLink(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (link.stats().receivedFromClients() < sent) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("link received " + link.stats().receivedFromClients() + " of " + sent);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Waits until the link settled everything sent so far and the sink received all it sent, and
     * returns every datagram the sink received so far, in arrival order.
     */
    public List<byte[]> settle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            UdpStats s = link.stats();
            boolean settled = s.receivedFromClients() == sent
                    && s.datagramsToServer() + s.droppedTotal() == s.receivedFromClients() + s.duplicated();
            if (settled && received.size() == s.datagramsToServer()) {
                return received;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not settled after " + timeout.toMillis() + " ms: sent " + sent
                        + ", sink received " + received.size() + ", link " + s);
            }
            UdpPeer.Received r = sink.receive(Duration.ofMillis(1));
            if (r != null) {
                received.add(r.data());
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
