package dev.loopback;

import java.util.List;

/**
 * An in-process relay in a {@link LoopbackSpace}: it listens on its own {@link #endpoint()}, on a
 * host of the space, and forwards to its {@link #upstream()}, applying the faults injected into it.
 * Point the client at {@code endpoint()} and the server stays where it is.
 *
 * <p>Every method is safe to call from any thread while traffic flows and never blocks on data in
 * flight. After {@link #close()} (or the space's close), mutating methods throw
 * {@link IllegalStateException}; {@link #stats()} and {@link #events()} stay readable.
 *
 * <p><b>Engine errors.</b> Should the link itself fail while serving a connection (a bug), that
 * connection is reset both ways within milliseconds, an {@link LinkEvent.Type#ENGINE_ERROR} event
 * carrying the exception is journalled and {@link LinkStats#engineErrors()} counts it; other
 * connections and links carry on. On a UDP link the datagram being handled is dropped and its client
 * mapping closed (the next datagram opens a new one).
 *
 * @param <F> the faults this link's protocol can apply: {@link TcpFault} or {@link UdpFault}
 */
public interface Link<F extends Fault> extends AutoCloseable {

    /**
     * Returns the link's name in its space.
     *
     * @return the name, unique in the space
     */
    String name();

    /**
     * Returns where the link listens: the address clients should dial.
     *
     * @return the endpoint the link listens on: on a host of its own, or the address it was opened to listen at
     */
    Endpoint endpoint();

    /**
     * Returns where the link forwards to.
     *
     * @return the endpoint the link dials for each connection (TCP) or sends datagrams to (UDP)
     */
    Endpoint upstream();

    /**
     * Injects {@code fault}; it acts on live connections at once (subject to its trigger) and on
     * new ones. Several faults may be active together. Injection is all or nothing: when it throws,
     * the fault is not active (a fault refused by its checks is not journalled at all; one whose
     * application failed is journalled as injected and taken back).
     *
     * @param fault the fault to apply to traffic from now on
     * @return the handle that removes this injection
     * @throws IllegalArgumentException if the fault has an option this protocol cannot apply (such
     *     as {@code preserveOrder()} on a TCP link)
     * @throws IllegalStateException if the link is closed
     */
    FaultHandle inject(F fault);

    /**
     * Returns the faults active now, in injection order.
     *
     * @return the active faults; a copy, which later injections do not change
     */
    List<F> faults();

    /** Removes every injected fault (partition is separate: see {@link #heal()}). */
    void clear();

    /**
     * Cuts the link in both directions at once with a {@link Partition#hold()} partition: data in
     * flight and new data are held and delivered intact on {@link #heal()}, connections stay open,
     * new connections are accepted but not forwarded until heal (and never, if their client closes
     * first). The same as {@code partition(Partition.hold())}. Idempotent.
     */
    void partition();

    /**
     * Cuts the link as {@code partition} says: {@link Partition#hold()} or {@link Partition#drop()},
     * both ways or {@link Partition#only(Direction) one way}. It acts on live connections at once.
     * Partitioning a link that is already partitioned differently switches to the new partition
     * from now on (a drop's give-up time counts from the switch); the same partition again changes
     * nothing.
     *
     * @param partition the kind of partition: {@link Partition#hold()}, {@link Partition#drop()}, one-way or both
     * @throws NullPointerException if {@code partition} is null
     * @throws IllegalStateException if the link is closed
     */
    void partition(Partition partition);

    /**
     * Ends a partition: held data flows on, in order, and connections accepted meanwhile are
     * forwarded (those whose client has gone are not). Idempotent.
     */
    void heal();

    /**
     * Returns true while the link is partitioned.
     *
     * @return true from {@link #partition()} or {@link #partition(Partition)} until {@link #heal()}
     */
    boolean isPartitioned();

    /**
     * Returns a snapshot of the link's counters.
     *
     * @return the counters at the call; later traffic does not change them
     */
    LinkStats stats();

    /**
     * Returns the journal of what happened on the link, oldest first (bounded; the oldest are dropped first).
     *
     * @return the events kept, oldest first; a copy
     */
    List<LinkEvent> events();

    /** Stops listening and closes every connection; idempotent. */
    @Override
    void close();

    /**
     * Returns true once the link (or its space) is closed.
     *
     * @return true once closed; a closed link accepts nothing and injects nothing
     */
    boolean isClosed();
}
