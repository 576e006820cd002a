package dev.loopback.testing.ffm;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.UdpLink;
import dev.loopback.inspect.SocketInspector;
import dev.loopback.internal.access.FastPaths;
import dev.loopback.testing.udp.UdpEchoServer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * A JVM of its own, whose native access the parent chooses: it lists listeners, sends a datagram
 * through a UDP link and back, and prints one line, the paths it used. (Not in package dev.loopback,
 * like NamesChild.)
 */
public final class FastPathsChild {

    private FastPathsChild() {}

    public static void main(String[] args) throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open();
                UdpEchoServer echo = UdpEchoServer.start(space.host("echo"));
                DatagramChannel client = DatagramChannel.open()) {
            UdpLink link = space.udpLink("echo", echo.endpoint());
            Endpoint front = link.endpoint();
            if (SocketInspector.listeners().stream().noneMatch(l -> l.serves(front))) {
                throw new AssertionError("the link's socket is not listed: " + SocketInspector.listeners());
            }
            client.bind(new InetSocketAddress(space.host("client"), 0));
            client.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), front.socketAddress());
            ByteBuffer reply = ByteBuffer.allocate(16);
            client.receive(reply);
            if (!"ping".equals(new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII))) {
                throw new AssertionError("echo through the link returned " + reply);
            }
        }
        System.out.println(FastPaths.describe());
    }
}
