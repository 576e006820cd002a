package dev.loopback.internal;

import dev.loopback.Endpoint;
import java.net.InetAddress;

/**
 * What a space hands to a link it opens.
 *
 * @param name the link's name in its space
 * @param host the link's own leased host: it listens there and dials the upstream from there
 * @param upstream where the link forwards to
 * @param seed the link's seed, derived from the space's seed and the link's creation number
 * @param bufferBytes the bound of buffered bytes per direction of a connection
 * @param onClose called once when the link closes, so the space forgets it
 */
public record LinkSetup(String name, InetAddress host, Endpoint upstream, long seed, int bufferBytes, Runnable onClose) {}
