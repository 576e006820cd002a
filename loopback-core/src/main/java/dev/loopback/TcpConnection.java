package dev.loopback;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A live connection through a {@link TcpLink}, as a snapshot.
 *
 * @param id the link-local number of the connection, from 1 in accept order
 * @param client the client's address as the link saw it
 * @param age time since the link accepted the connection
 * @param bytesToServer bytes forwarded client → server so far
 * @param bytesToClient bytes forwarded server → client so far
 */
public record TcpConnection(long id, InetSocketAddress client, Duration age, long bytesToServer, long bytesToClient) {}
