package dev.loopback.internal.link;

import dev.loopback.Endpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What a space hands to a link it opens.
 *
 * @param name the link's name in its space
 * @param host the link's own leased host: it dials the upstream from there
 * @param listen where the link listens: a kernel-assigned port of {@code host}, unless the user
 *     named an IPv4 loopback address and port (the space checks it)
 * @param upstream where the link forwards to (an IPv4 endpoint: the space checks it)
 * @param seed the link's seed, derived from the space's seed and the link's name
 * @param bufferBytes the bound of buffered bytes per direction of a connection
 * @param onClose called once when the link closes, on the thread that closes it (never an engine
 *     thread), so the space forgets it
 */
public record LinkSetup(String name, InetAddress host, InetSocketAddress listen, Endpoint upstream, long seed, int bufferBytes, Runnable onClose) {}
