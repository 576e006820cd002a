package dev.loopback.junit.assertj;

import dev.loopback.UdpLink;
import dev.loopback.UdpStats;

/** Assertions on a {@link UdpLink}; see {@link AbstractLinkAssert} for the common ones. */
public final class UdpLinkAssert extends AbstractLinkAssert<UdpLinkAssert, UdpLink> {

    /**
     * Creates the assertion; use {@code LoopbackAssertions.assertThat(link)}.
     *
     * @param actual the link to check
     */
    public UdpLinkAssert(UdpLink actual) {
        super(actual, UdpLinkAssert.class);
    }

    /**
     * Verifies the datagrams forwarded client → server.
     *
     * @param expected the number of datagrams
     * @return this assertion, to chain more checks
     */
    public UdpLinkAssert hasForwardedDatagramsToServer(long expected) {
        return this.<UdpStats>hasCount("forwarded datagrams to the server", UdpStats::datagramsToServer, expected);
    }

    /**
     * Verifies the datagrams forwarded server → client.
     *
     * @param expected the number of datagrams
     * @return this assertion, to chain more checks
     */
    public UdpLinkAssert hasForwardedDatagramsToClient(long expected) {
        return this.<UdpStats>hasCount("forwarded datagrams to the client", UdpStats::datagramsToClient, expected);
    }

    /**
     * Verifies how many client mappings are live now.
     *
     * @param expected the number of client mappings
     * @return this assertion, to chain more checks
     */
    public UdpLinkAssert hasClients(long expected) {
        return this.<UdpStats>hasCount("live clients", UdpStats::clients, expected);
    }
}
