package dev.loopback;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One client mapping of a {@link UdpLink}: a client address and the link's upstream socket that
 * speaks for it. A snapshot: it does not change after it is taken.
 *
 * @param id the mapping's number on its link, from 1, in the order of first datagrams
 * @param address the client's address, as the link sees it
 * @param upstreamSide the link's socket that forwards for this client: the peer the server sees
 * @param age how long the mapping has existed
 * @param idle how long since the mapping last received or sent a datagram
 * @param datagramsToServer datagrams forwarded to the server for this client
 * @param datagramsToClient datagrams forwarded to this client
 * @param bytesToServer bytes forwarded to the server for this client
 * @param bytesToClient bytes forwarded to this client
 * @param dropped datagrams of this client, either way, dropped for any cause
 */
public record UdpClient(
        long id,
        InetSocketAddress address,
        Endpoint upstreamSide,
        Duration age,
        Duration idle,
        long datagramsToServer,
        long datagramsToClient,
        long bytesToServer,
        long bytesToClient,
        long dropped) {}
