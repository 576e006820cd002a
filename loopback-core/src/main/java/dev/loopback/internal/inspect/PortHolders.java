package dev.loopback.internal.inspect;

import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import java.net.InetAddress;
import java.util.List;

/** Says who holds a TCP port of an address, for the messages of binds that failed. */
public final class PortHolders {

    private PortHolders() {}

    /**
     * Describes what holds TCP {@code address:port}: the listeners there or on the wildcard, each
     * with its process where this user may see it ({@code [tcp 127.1.2.3:8080 held by pid 4711
     * (java, user nobody)]}); a bound socket that does not listen is in no socket table, so when no
     * listener is found the text says that such a socket holds the port.
     */
    public static String of(InetAddress address, int port) {
        if (!SocketInspector.canListListeners()) {
            return "unknown on this platform";
        }
        List<String> holders = SocketInspector.listenersOnPort(port).stream()
                .filter(l -> l.protocol() == Listener.Protocol.TCP && (l.isWildcard() || l.address().equals(address)))
                .map(l -> (l.isWildcard() ? "wildcard listener " + l.describe() : l.toString())
                        + SocketInspector.owner(l).map(o -> " held by " + o).orElse(""))
                .toList();
        if (holders.isEmpty()) {
            return "none in /proc/net, so a socket bound to port " + port + " without listening"
                    + " (on this address or the wildcard) holds it";
        }
        return holders.toString();
    }
}
