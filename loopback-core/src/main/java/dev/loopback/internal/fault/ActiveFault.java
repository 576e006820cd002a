package dev.loopback.internal.fault;

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
 * @param connectionsBefore connections the link had accepted before injection (for {@code onConnection})
 */
public record ActiveFault(Fault fault, long index, long seed, long injectedAtNanos, long connectionsBefore) {

    /** Returns the random stream this fault uses for connection (or UDP client) {@code id}. */
    public SplittableRandom randomFor(long id) {
        return Seeds.random(Seeds.derive(seed, id));
    }
}
