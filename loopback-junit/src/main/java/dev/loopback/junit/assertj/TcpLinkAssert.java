package dev.loopback.junit.assertj;

import dev.loopback.TcpLink;
import dev.loopback.TcpStats;

/** Assertions on a {@link TcpLink}; see {@link AbstractLinkAssert} for the common ones. */
public final class TcpLinkAssert extends AbstractLinkAssert<TcpLinkAssert, TcpLink> {

    /**
     * Creates the assertion; use {@code LoopbackAssertions.assertThat(link)}.
     *
     * @param actual the link to check
     */
    public TcpLinkAssert(TcpLink actual) {
        super(actual, TcpLinkAssert.class);
    }

    /**
     * Verifies how many client connections the link accepted.
     *
     * @param expected the number of connections
     * @return this assertion, to chain more checks
     */
    public TcpLinkAssert hasAcceptedConnections(long expected) {
        return this.<TcpStats>hasCount("accepted connections", TcpStats::accepted, expected);
    }

    /**
     * Verifies how many connections are open now.
     *
     * @param expected the number of connections
     * @return this assertion, to chain more checks
     */
    public TcpLinkAssert hasActiveConnections(long expected) {
        return this.<TcpStats>hasCount("active connections", TcpStats::active, expected);
    }

    /**
     * Verifies how many connections are fully closed.
     *
     * @param expected the number of connections
     * @return this assertion, to chain more checks
     */
    public TcpLinkAssert hasClosedConnections(long expected) {
        return this.<TcpStats>hasCount("closed connections", TcpStats::closed, expected);
    }

    /**
     * Verifies how many accepted connections were reset because the upstream could not be reached.
     *
     * @param expected the number of connections
     * @return this assertion, to chain more checks
     */
    public TcpLinkAssert hasUpstreamFailures(long expected) {
        return this.<TcpStats>hasCount("connections reset because the upstream failed", TcpStats::upstreamFailed, expected);
    }

    /**
     * Verifies how many connections a reset fault aborted with RST.
     *
     * @param expected the number of connections
     * @return this assertion, to chain more checks
     */
    public TcpLinkAssert hasResetConnections(long expected) {
        return this.<TcpStats>hasCount("reset connections", TcpStats::resets, expected);
    }

    /**
     * Verifies how many stream segments a loss fault stalled.
     *
     * @param expected the number of segments
     * @return this assertion, to chain more checks
     */
    public TcpLinkAssert hasStalledSegments(long expected) {
        return this.<TcpStats>hasCount("stalled segments", TcpStats::stalls, expected);
    }
}
