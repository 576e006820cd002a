package dev.loopback;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Link#partition(Partition) partition} cuts a link: what happens to the bytes and
 * connections that meet it, and which way it cuts. An immutable value; {@code toString()} reads like
 * the calls that made it ({@code drop().giveUpAfter(2s).only(TO_SERVER)}).
 *
 * <p><b>{@link #hold()}</b> — the network keeps everything: bytes wait in the link (up to its
 * buffer bound, then the sender blocks) and are delivered intact, in order, on {@link Link#heal()};
 * connections stay open however long the partition lasts. This is what {@link Link#partition()}
 * does: a partition that is healed before the test's own timeouts fire behaves like a brief
 * network outage that TCP rides out, which is what most tests of "the network went away" want,
 * and it is what {@code partition()} always did.
 *
 * <p><b>{@link #drop()}</b> — the path black-holes, and the connections through it end the way a
 * real TCP stack ends them: nothing crosses the cut, and a connection still open
 * {@link #giveUpAfter()} after the partition began (or after the link accepted it, if that was
 * later) is reset on both sides, as a sender's kernel gives up retransmitting (or its keepalive or
 * {@code TCP_USER_TIMEOUT} fires). Bytes waiting when the
 * partition heals before that are delivered, as TCP's retransmissions would deliver them. Every
 * connection counts, idle or not: the link models endpoints that detect a dead path, which is what
 * keepalive and user-timeout settings exist for. What the client observes is {@code Connection
 * reset} (ECONNRESET), not {@code Connection timed out} (ETIMEDOUT): its kernel talks to the link's
 * kernel, which answers keepalive probes and acknowledges data, so the client's own timers cannot
 * fire — the link gives up on their behalf, after the time you configure to match them.
 *
 * <p><b>New connections</b> during any TCP partition are accepted by the link's kernel (the client's
 * {@code connect()} completes locally) but not forwarded: the upstream is dialled on heal unless the
 * client closed or reset the connection first (then never), and under {@code drop()} the connection
 * is reset once it has waited {@code giveUpAfter}.
 *
 * <p><b>A client's reset</b> behind a TCP partition that cuts {@code TO_SERVER} is lost, as on a real
 * network: what the client left is dropped, and the server is reset only when it sends or closes
 * once that direction is open again (on heal, if it sent meanwhile); a server that only waits to
 * read is not told.
 *
 * <p><b>One way.</b> {@link #only(Direction)} cuts one direction: {@code only(TO_SERVER)} stops
 * what the client sends while the server's bytes still reach the client. Upstreams are not dialled
 * during a one-way partition either (a handshake needs both ways), and under {@code drop()} every
 * connection gives up as above: on a real network a TCP sender needs the acknowledgements that come
 * the other way.
 *
 * <p><b>UDP.</b> A network keeps no datagrams, so on a {@link UdpLink} both modes drop every
 * datagram of the covered directions, counted as {@link UdpStats.DropCause#PARTITION}; there are no
 * connections to give up, so {@code giveUpAfter} has no effect there. The same value can thus
 * partition TCP and UDP links alike.
 */
public final class Partition {

    /** What a partition does to bytes and connections. */
    public enum Mode {
        /** Bytes wait and are delivered on heal; connections stay. */
        HOLD,
        /** Nothing crosses; connections still open after the give-up time are reset. */
        DROP
    }

    /**
     * How long a {@link #drop()} partition lets a connection live before it resets it, unless {@link #giveUpAfter(Duration)} says otherwise: 5 seconds. A real Linux sender gives
     * up after about 15 minutes of retransmissions ({@code tcp_retries2 = 15}), which no test waits
     * for; 5 s outlasts a brief outage (a failover, a restart) and the sub-second timeouts tests
     * usually set, and fires well within a test's time. Set it to what your client's keepalive or
     * {@code TCP_USER_TIMEOUT} settings add up to.
     */
    public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofSeconds(5);

    private static final Partition HOLD = new Partition(Mode.HOLD, Direction.BOTH, null);
    private static final Partition DROP = new Partition(Mode.DROP, Direction.BOTH, DEFAULT_GIVE_UP_AFTER);

    private final Mode mode;
    private final Direction direction;
    private final @Nullable Duration giveUpAfter; // null for HOLD

    private Partition(Mode mode, Direction direction, @Nullable Duration giveUpAfter) {
        this.mode = mode;
        this.direction = direction;
        this.giveUpAfter = giveUpAfter;
    }

    /**
     * A partition that holds bytes and delivers them intact on heal, both ways: what {@link Link#partition()} does.
     *
     * @return the hold partition, both ways
     */
    public static Partition hold() {
        return HOLD;
    }

    /**
     * A partition that black-holes the path both ways and resets the connections still open {@link #DEFAULT_GIVE_UP_AFTER} later.
     *
     * @return the drop partition, both ways, giving up after {@link #DEFAULT_GIVE_UP_AFTER}
     */
    public static Partition drop() {
        return DROP;
    }

    /**
     * Returns this {@link #drop()} partition with connections reset {@code timeout} after it began (or after they were accepted).
     *
     * @param timeout positive, at most {@link Fault#MAX_DURATION}
     * @return a drop partition like this one giving up after {@code timeout}
     * @throws IllegalArgumentException for a bad timeout, or on a {@link #hold()} partition, which never gives up
     */
    public Partition giveUpAfter(Duration timeout) {
        Checks.duration("giveUpAfter", timeout, false);
        if (mode != Mode.DROP) {
            throw new IllegalArgumentException("giveUpAfter(" + FaultText.duration(timeout) + ") applies to"
                    + " Partition.drop(); a hold() partition keeps every connection open until heal. Use"
                    + " Partition.drop().giveUpAfter(...)");
        }
        return new Partition(mode, direction, timeout);
    }

    /**
     * Returns this partition cutting only {@code direction}: {@code TO_SERVER} stops what clients
     * send, {@code TO_CLIENT} what the server sends; {@code BOTH} cuts both ways (the default).
     *
     * @param direction the direction to cut, not null
     * @return a partition like this one cutting {@code direction}
     * @throws NullPointerException if {@code direction} is null
     */
    public Partition only(Direction direction) {
        Objects.requireNonNull(direction, "direction");
        return new Partition(mode, direction, giveUpAfter);
    }

    /**
     * Returns whether bytes are held or the path black-holes.
     *
     * @return {@code HOLD} or {@code DROP}
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Returns the direction cut: {@link Direction#BOTH} unless narrowed with {@link #only(Direction)}.
     *
     * @return the direction cut
     */
    public Direction direction() {
        return direction;
    }

    /**
     * Returns how long a connection may live through a {@link #drop()} partition before it is reset; empty for {@link #hold()}.
     *
     * @return the give-up time of a drop partition, or empty for a hold partition
     */
    public Optional<Duration> giveUpAfter() {
        return Optional.ofNullable(giveUpAfter);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Partition p && p.mode == mode && p.direction == direction
                && Objects.equals(p.giveUpAfter, giveUpAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, direction, giveUpAfter);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(mode == Mode.HOLD ? "hold()" : "drop()");
        if (giveUpAfter != null && !giveUpAfter.equals(DEFAULT_GIVE_UP_AFTER)) {
            s.append(".giveUpAfter(").append(FaultText.duration(giveUpAfter)).append(')');
        }
        if (direction != Direction.BOTH) {
            s.append(".only(").append(direction).append(')');
        }
        return s.toString();
    }
}
