package dev.loopback.internal.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Holds a refusing link's port: a TCP socket bound to the link's endpoint without listening, so
 * the kernel refuses clients (as it does at the lease sentinel) and no other socket can bind the
 * port — neither with {@code SO_REUSEADDR} (the hold has none) nor, as another user, with
 * {@code SO_REUSEPORT}.
 *
 * <p>Where the platform has {@code SO_REUSEPORT} (Linux, macOS), the link's listener and the hold
 * both set it, so the hold is bound before the listener closes and the next listener is bound
 * before the hold closes: the port is never free for an instant. The price: a process of the
 * <em>same user</em> that sets {@code SO_REUSEPORT} itself may share the link's port, as the kernel
 * allows any two such sockets of one user. Elsewhere the listener closes first and the port is
 * free for the instant until the hold is bound.
 */
final class PortHold {

    private static final boolean SHARED = supportsReusePort();

    private PortHold() {}

    /** Prepares a link's listener, before it binds, to hand its port over to a hold and back. */
    static void prepare(ServerSocketChannel listener) throws IOException {
        if (SHARED) {
            listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
    }

    /**
     * Binds a hold on {@code address} and runs {@code closeListener} — after the bind where the
     * platform allows both at once, else before it; it runs whether or not the bind succeeds.
     *
     * @throws IOException if the hold could not be bound (the listener is closed all the same)
     */
    static SocketChannel replace(InetSocketAddress address, Runnable closeListener) throws IOException {
        boolean listenerClosed = false;
        SocketChannel hold = SocketChannel.open(StandardProtocolFamily.INET);
        try {
            hold.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            if (SHARED) {
                hold.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            } else {
                closeListener.run();
                listenerClosed = true;
            }
            hold.bind(address);
            return hold;
        } catch (IOException | RuntimeException e) {
            hold.close();
            throw e;
        } finally {
            if (!listenerClosed) {
                closeListener.run();
            }
        }
    }

    private static boolean supportsReusePort() {
        try (ServerSocketChannel probe = ServerSocketChannel.open(StandardProtocolFamily.INET);
                SocketChannel hold = SocketChannel.open(StandardProtocolFamily.INET)) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)
                    && hold.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }
}
