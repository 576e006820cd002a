package dev.loopback;

import java.time.Duration;
import java.util.List;

/**
 * A {@link Link} for UDP. Each client address gets its own upstream socket on the link's host (a
 * <em>client mapping</em>), so the server sees distinct peers and its replies reach the right
 * client. Client mappings are numbered from 1 in the order of their first datagram; a mapping that
 * stays idle for {@link #idleTimeout()} expires and is recreated, with a new number and a new
 * upstream port, on the client's next datagram.
 *
 * <p><b>Pass-through.</b> With no fault active, every datagram is forwarded once, unchanged, in
 * order. The link uses 4 MiB socket buffers and drains its sockets before it forwards: a datagram
 * is sent straight from the receive buffer, but when a wakeup finds a burst waiting (more than 32
 * datagrams), the rest of the burst is received first and queued in the link (up to 64 MiB per
 * socket), so the kernel's buffer does not overflow while the link forwards. A datagram that finds
 * that queue full is dropped and counted as {@link UdpStats.DropCause#SEND_QUEUE}: the link loses
 * nothing by itself at any rate it can forward, and absorbs bursts above that rate up to the queue.
 *
 * <p><b>Faults.</b> A UDP link takes every {@link UdpFault}: latency, rate, loss (Bernoulli and
 * Gilbert-Elliott), blackhole, freeze, duplicate, reorder, corrupt and truncate; connection faults
 * and TCP options do not compile. A datagram meets
 * the faults in netem's order: blackhole and loss (dropped), duplicate (a second copy goes through
 * the rest on its own), corrupt and truncate, freeze (held), latency and reorder (scheduled), rate
 * (queued), then sent. Each fault draws from its own random stream per client mapping and
 * direction, derived from the space's seed, so the same seed and the same traffic give the same
 * drops, duplicates and reorders whatever the thread timing. Blackhole and freeze draw their
 * probability once per client mapping and direction; every other fault once per datagram.
 *
 * <p>All links, TCP and UDP, share at most two engine threads ({@code loopback-io-N}), whose timers
 * fire within microseconds of their deadline; threads do not grow with links or clients.
 */
public interface UdpLink extends Link<UdpFault> {

    /** How long a client mapping may stay idle before it expires, unless set: 60 seconds. */
    Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** Returns a snapshot of the link's counters. */
    @Override
    UdpStats stats();

    /**
     * Returns the live client mappings with their counters, oldest first.
     *
     * @return the client mappings live now; a copy
     */
    List<UdpClient> clients();

    /**
     * Returns how long a client mapping may stay idle before it expires.
     *
     * @return the idle timeout of the link's client mappings
     */
    Duration idleTimeout();

    /**
     * Sets how long a client mapping may stay idle (no datagram either way, nothing held or queued)
     * before it expires: its upstream socket is closed and an {@link LinkEvent.Type#EXPIRED} event
     * is journalled. Expiry is checked every quarter of the timeout (at least every 5 ms, at most
     * every second), so a mapping expires between one and about one and a quarter timeouts idle.
     *
     * @param timeout positive
     * @return this link
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws IllegalStateException if the link is closed
     */
    UdpLink idleTimeout(Duration timeout);

    /**
     * Partitions the link: from now on every datagram either way, new or already delayed or
     * queued, is dropped (the network loses it) and counted as {@link UdpStats.DropCause#PARTITION};
     * client mappings stay. Datagrams held by a {@link Fault#freeze()} stay held. Idempotent.
     */
    @Override
    void partition();

    /**
     * Partitions the link as {@link #partition()} does, in the directions {@code partition} cuts.
     * Both {@link Partition#hold()} and {@link Partition#drop()} drop datagrams — a network keeps
     * none, and the modes differ only in what TCP endpoints do — and a give-up time has nothing to
     * act on: client mappings stay.
     */
    @Override
    void partition(Partition partition);

    /** Ends a {@link #partition()}: datagrams flow again. Those dropped meanwhile are gone. Idempotent. */
    @Override
    void heal();
}
