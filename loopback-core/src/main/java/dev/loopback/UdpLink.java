package dev.loopback;

/**
 * A {@link Link} for UDP. Each client address gets its own upstream socket on the link's host, so
 * the server sees distinct peers and its replies reach the right client. A client mapping that
 * stays idle expires and is recreated on the client's next datagram.
 */
public interface UdpLink extends Link {

    /** Returns a snapshot of the link's counters. */
    @Override
    UdpStats stats();
}
