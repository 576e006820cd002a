package dev.loopback.junit;

import dev.loopback.Cluster;
import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.UdpLink;
import dev.loopback.junit.assertj.ClusterAssert;
import dev.loopback.junit.assertj.EndpointAssert;
import dev.loopback.junit.assertj.LoopbackSpaceAssert;
import dev.loopback.junit.assertj.TcpLinkAssert;
import dev.loopback.junit.assertj.UdpLinkAssert;

/**
 * The entry point of Loopback's AssertJ assertions. Import statically next to AssertJ's own
 * {@code assertThat}; the overloads do not clash.
 *
 * <pre>{@code
 * assertThat(endpoint).isListening().isBoundOnlyToItsAddress();
 * assertThat(link).hasAcceptedConnections(1).hasInjected(FaultKind.RESET, 1);
 * }</pre>
 */
public final class LoopbackAssertions {

    private LoopbackAssertions() {}

    /**
     * Starts assertions on how a server binds {@code endpoint}.
     *
     * @param endpoint the endpoint a server should listen on
     * @return the assertion
     */
    public static EndpointAssert assertThat(Endpoint endpoint) {
        return new EndpointAssert(endpoint);
    }

    /**
     * Starts assertions on {@code space}.
     *
     * @param space the space whose hosts to check
     * @return the assertion
     */
    public static LoopbackSpaceAssert assertThat(LoopbackSpace space) {
        return new LoopbackSpaceAssert(space);
    }

    /**
     * Starts assertions on a TCP link's statistics and events.
     *
     * @param link the link whose counters and journal to check
     * @return the assertion
     */
    public static TcpLinkAssert assertThat(TcpLink link) {
        return new TcpLinkAssert(link);
    }

    /**
     * Starts assertions on which pairs of {@code cluster}'s nodes are cut.
     *
     * @param cluster the cluster whose paths to check
     * @return the assertion
     */
    public static ClusterAssert assertThat(Cluster cluster) {
        return new ClusterAssert(cluster);
    }

    /**
     * Starts assertions on a UDP link's statistics and events.
     *
     * @param link the link whose counters and journal to check
     * @return the assertion
     */
    public static UdpLinkAssert assertThat(UdpLink link) {
        return new UdpLinkAssert(link);
    }
}
