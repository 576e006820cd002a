package dev.loopback;

/**
 * Which way through a link a fault acts. A fault given no direction acts {@link #BOTH} ways:
 * {@code latency(50 ms)} adds 50 ms to each direction, 100 ms to a round trip.
 */
public enum Direction {
    /** Client → upstream server. */
    TO_SERVER,
    /** Upstream server → client. */
    TO_CLIENT,
    /** Both directions, each on its own. */
    BOTH;

    /**
     * Returns true if a fault with this direction acts on traffic flowing {@code flow}.
     *
     * @param flow the direction traffic flows: {@code TO_SERVER} or {@code TO_CLIENT}
     * @return true if this is {@code BOTH} or equals {@code flow}
     */
    public boolean covers(Direction flow) {
        return this == BOTH || this == flow;
    }
}
