package dev.loopback.junit.internal;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import dev.loopback.internal.access.SpaceAccess;
import java.net.BindException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Names who holds a port of a space when a test failed to bind one ("Address already in use"). A
 * lease keeps other Loopback users off a host, but any other process can still bind any port of it
 * (or the port on the wildcard): the listeners of other processes on the space's hosts, and on the
 * wildcard at the ports the space handed out, are the ones that can have taken the test's port.
 */
final class AddressInUse {

    private AddressInUse() {}

    /** Returns true if {@code failure} or one of its causes is a {@link BindException}. */
    static boolean causes(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Describes the sockets of other processes that hold ports of {@code space}: {@code tcp
     * 127.64.3.9:8080 (host "web") held by pid 4711 (python3, user nobody)}; empty if there are none
     * in the socket tables (or the platform has none).
     */
    static List<String> holders(LoopbackSpace space) {
        if (!SocketInspector.canListListeners() || space.isFallback()) {
            return List.of();
        }
        Map<InetAddress, String> hosts = new HashMap<>();
        space.hosts().forEach((name, address) -> hosts.putIfAbsent(address, name));
        Set<Integer> ports = new HashSet<>();
        for (Endpoint endpoint : SpaceAccess.get().handedOut(space)) {
            ports.add(endpoint.port());
        }
        return SocketInspector.listeners().stream()
                .filter(l -> hosts.containsKey(l.address()) || (l.isWildcard() && ports.contains(l.port())))
                .filter(l -> l.inode() != 0 && !ProcessSockets.ownedByThisProcess(l.inode()))
                .map(l -> describe(l, hosts.get(l.address())))
                .distinct()
                .toList();
    }

    private static String describe(Listener listener, @Nullable String host) {
        String where = host != null ? listener + " (host \"" + host + "\")"
                : listener.protocol().name().toLowerCase(java.util.Locale.ROOT) + " wildcard " + listener.describe();
        return where + " held by " + SocketInspector.owner(listener).orElse("another process this user cannot see");
    }
}
