package dev.loopback.internal.lease;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds out, once per JVM and pool, whether the pool's loopback addresses can be bound. Linux
 * routes all of {@code 127.0.0.0/8} to {@code lo}; macOS binds only {@code 127.0.0.1} and the
 * addresses aliased on {@code lo0}, so a pool of aliased addresses passes there too.
 */
public final class PlatformProbe {

    private static final ConcurrentHashMap<Cidr, Boolean> RESULTS = new ConcurrentHashMap<>();

    private PlatformProbe() {}

    /** Returns true if this platform can bind the addresses of {@code pool} (probing its first one). */
    public static boolean aliasesAvailable(Cidr pool) {
        return RESULTS.computeIfAbsent(pool, PlatformProbe::probe);
    }

    /**
     * The command that makes addresses of {@code pool} bindable on macOS: the whole pool if it is a
     * /24 or smaller, else its first /24 (which the pool should then be narrowed to).
     */
    public static String aliasCommand(Cidr pool) {
        StringBuilder command = new StringBuilder("for a in");
        int first = pool.firstLeasable();
        String base = Cidr.format(first & 0xFFFFFF00);
        base = base.substring(0, base.lastIndexOf('.') + 1);
        if (pool.prefix() >= 24) {
            int last = pool.at(pool.size() - 1);
            if (!pool.leasable(last)) {
                last--;
            }
            command.append(" $(seq ").append(first & 0xFF).append(' ').append(last & 0xFF).append(")");
            return command + "; do sudo ifconfig lo0 alias " + base + "$a up; done";
        }
        command.append(" $(seq 1 254)");
        return command + "; do sudo ifconfig lo0 alias " + base + "$a up; done"
                + " — then narrow the pool to " + base + "0/24 (LoopbackSpace.builder().pool(\"" + base
                + "0/24\"), or loopback.pool=" + base + "0/24 in junit-platform.properties)";
    }

    private static boolean probe(Cidr pool) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(Cidr.toInet(pool.firstLeasable()), 0));
            return true;
        } catch (IOException cannotAssign) {
            return false;
        }
    }
}
