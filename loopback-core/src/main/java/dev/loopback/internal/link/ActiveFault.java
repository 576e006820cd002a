package dev.loopback.internal.link;

import dev.loopback.Direction;
import dev.loopback.Fault;
import dev.loopback.internal.random.Seeds;
import java.util.SplittableRandom;

/**
 * A fault as injected into one link: the fault, its injection number and the seed from which
 * every random decision it makes derives.
 *
 * @param fault the fault
 * @param index injection number on its link, from 1
 * @param seed the fault's seed, derived from the link's seed and {@code index}
 * @param injectedAtNanos {@link System#nanoTime()} at injection
 * @param connectionsBefore connections (or UDP client mappings) the link had accepted before the
 *     injection, so that {@code onConnection(n)} picks the n-th one after it
 */
public record ActiveFault(Fault fault, long index, long seed, long injectedAtNanos, long connectionsBefore) {

    /** Returns true if the fault's {@code onConnection} trigger, if any, picks connection {@code id}. */
    public boolean picks(long id) {
        int n = fault.onConnection();
        return n == 0 || id == connectionsBefore + n;
    }

    /**
     * The once-per-connection decision: whether the fault acts on connection {@code id} at all — its
     * {@code onConnection} trigger picks it and one draw of its probability, from a stream of its
     * own for that connection, says yes. The same seed and connection number always give the same
     * answer.
     */
    public boolean chooses(long id) {
        return picks(id) && FaultState.draw(Seeds.random(Seeds.derive(seed, id)), fault.probability());
    }

    /** Returns the random stream of this fault for connection (or client mapping) {@code id} and {@code direction}. */
    public SplittableRandom stream(long id, Direction direction) {
        return Seeds.random(Seeds.derive(Seeds.derive(seed, id), direction == Direction.TO_SERVER ? 1 : 2));
    }
}
