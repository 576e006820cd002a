package dev.loopback.junit.assertj;

import dev.loopback.FaultKind;
import dev.loopback.Link;
import dev.loopback.LinkEvent;
import dev.loopback.LinkStats;
import dev.loopback.junit.internal.LinkDescription;
import java.util.function.ToLongFunction;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions common to {@link dev.loopback.TcpLink} and {@link dev.loopback.UdpLink}, on a
 * snapshot of the link's statistics and its event journal taken when each assertion runs. Links
 * count asynchronously: to wait for a count, wrap the assertion in Awaitility's
 * {@code untilAsserted}. Failure messages show the whole statistics, the faults that fired and the
 * latest events.
 *
 * @param <SELF> the assertion type
 * @param <L> the link type
 */
public abstract class AbstractLinkAssert<SELF extends AbstractLinkAssert<SELF, L>, L extends Link<?>>
        extends AbstractAssert<SELF, L> {

    /**
     * Creates the assertion.
     *
     * @param actual the link
     * @param selfType the concrete assertion class
     */
    protected AbstractLinkAssert(L actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * Verifies the bytes forwarded client → server.
     *
     * @param expected the number of bytes
     * @return this assertion, to chain more checks
     */
    public SELF hasForwardedBytesToServer(long expected) {
        return hasCount("forwarded bytes to the server", LinkStats::bytesToServer, expected);
    }

    /**
     * Verifies the bytes forwarded server → client.
     *
     * @param expected the number of bytes
     * @return this assertion, to chain more checks
     */
    public SELF hasForwardedBytesToClient(long expected) {
        return hasCount("forwarded bytes to the client", LinkStats::bytesToClient, expected);
    }

    /**
     * Verifies how many times faults of {@code kind} acted.
     *
     * @param kind the kind of fault
     * @param times the number of times it acted
     * @return this assertion, to chain more checks
     */
    public SELF hasInjected(FaultKind kind, long times) {
        return hasCount("injected " + kind, s -> s.injected(kind), times);
    }

    /**
     * Verifies that faults of {@code kind} acted at least once.
     *
     * @param kind the kind of fault
     * @return this assertion, to chain more checks
     */
    public SELF hasInjected(FaultKind kind) {
        isNotNull();
        if (actual.stats().injected(kind) == 0) {
            failWithMessage("Expecting link %s to have injected %s at least once, but it never did%s", name(), kind,
                    details());
        }
        return myself;
    }

    /**
     * Verifies that faults of {@code kind} never acted.
     *
     * @param kind the kind of fault
     * @return this assertion, to chain more checks
     */
    public SELF hasNotInjected(FaultKind kind) {
        return hasInjected(kind, 0);
    }

    /**
     * Verifies that the journal has at least one event of {@code type}.
     *
     * @param type the event type
     * @return this assertion, to chain more checks
     */
    public SELF hasEvent(LinkEvent.Type type) {
        isNotNull();
        if (actual.events().stream().noneMatch(e -> e.type() == type)) {
            failWithMessage("Expecting link %s to have a %s event, but it has none%s", name(), type, details());
        }
        return myself;
    }

    /**
     * Verifies that the journal has exactly {@code count} events of {@code type}.
     *
     * @param type the event type
     * @param count the number of events
     * @return this assertion, to chain more checks
     */
    public SELF hasEvents(LinkEvent.Type type, long count) {
        isNotNull();
        long found = actual.events().stream().filter(e -> e.type() == type).count();
        if (found != count) {
            failWithMessage("Expecting link %s to have %d %s events, but it has %d%s", name(), count, type, found,
                    details());
        }
        return myself;
    }

    /**
     * Verifies that the journal has no event of {@code type}.
     *
     * @param type the event type
     * @return this assertion, to chain more checks
     */
    public SELF hasNoEvent(LinkEvent.Type type) {
        return hasEvents(type, 0);
    }

    /**
     * Verifies that the link is partitioned.
     *
     * @return this assertion, to chain more checks
     */
    public SELF isPartitioned() {
        isNotNull();
        if (!actual.isPartitioned()) {
            failWithMessage("Expecting link %s to be partitioned, but it is not%s", name(), details());
        }
        return myself;
    }

    /**
     * Verifies that the link is not partitioned.
     *
     * @return this assertion, to chain more checks
     */
    public SELF isNotPartitioned() {
        isNotNull();
        if (actual.isPartitioned()) {
            failWithMessage("Expecting link %s not to be partitioned, but it is%s", name(), details());
        }
        return myself;
    }

    /**
     * Verifies that the link is closed.
     *
     * @return this assertion, to chain more checks
     */
    public SELF isClosed() {
        isNotNull();
        if (!actual.isClosed()) {
            failWithMessage("Expecting link %s to be closed, but it is open%s", name(), details());
        }
        return myself;
    }

    /**
     * Verifies one counter of the link's statistics.
     *
     * @param <S> the statistics type of the link
     * @param what the counter's name, as the failure message shows it
     * @param counter reads the counter from a snapshot of the statistics
     * @param expected the value the counter must have
     * @return this assertion, to chain more checks
     */
    protected <S extends LinkStats> SELF hasCount(String what, ToLongFunction<S> counter, long expected) {
        isNotNull();
        @SuppressWarnings("unchecked")
        S stats = (S) actual.stats();
        long found = counter.applyAsLong(stats);
        if (found != expected) {
            failWithMessage("Expecting link %s to have %s %d, but it was %d%s", name(), what, expected, found,
                    details());
        }
        return myself;
    }

    private String name() {
        return actual.name() + " (" + actual.endpoint() + " -> " + actual.upstream() + ")";
    }

    private String details() {
        return "\nstats: " + actual.stats() + LinkDescription.journal(actual, "");
    }
}
