package dev.loopback.internal.lease;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Finds out, once per JVM, whether loopback addresses beyond {@code 127.0.0.1} can be bound.
 * Linux routes all of {@code 127.0.0.0/8} to {@code lo}; macOS binds only the addresses aliased on
 * {@code lo0}.
 */
public final class PlatformProbe {

    private static final int PROBE_ADDRESS = 0x7F7FFFFE; // 127.127.255.254

    private PlatformProbe() {}

    /** Returns true if this platform can bind loopback addresses other than {@code 127.0.0.1}. */
    public static boolean aliasesAvailable() {
        return Holder.AVAILABLE;
    }

    /** The command that makes {@code pool}'s first addresses bindable on macOS. */
    public static String aliasCommand(Cidr pool) {
        int first = pool.at(pool.prefix() >= 31 ? 0 : 1);
        String base = ((first >>> 24) & 0xFF) + "." + ((first >>> 16) & 0xFF) + "." + ((first >>> 8) & 0xFF) + ".";
        return "for i in $(seq 1 254); do sudo ifconfig lo0 alias " + base + "$i up; done"
                + " (then set loopback.pool=" + base + "0/24)";
    }

    private static final class Holder {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(Cidr.toInet(PROBE_ADDRESS), 0));
                return true;
            } catch (IOException cannotAssign) {
                return false;
            }
        }
    }
}
