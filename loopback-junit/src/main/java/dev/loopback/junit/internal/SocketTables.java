package dev.loopback.junit.internal;

import dev.loopback.inspect.SocketInspector;

/**
 * Guards the checks that need the kernel's socket tables, which only Linux has ({@code /proc/net}):
 * elsewhere they fail saying so, rather than with a bare {@link UnsupportedOperationException}.
 */
public final class SocketTables {

    private SocketTables() {}

    /**
     * Returns normally where the socket tables can be read.
     *
     * @param check the check that needs them, as the user called it: {@code isBoundOnlyToItsAddress()}
     * @throws UnsupportedOperationException naming the check, the platform and what to do instead
     */
    public static void require(String check) {
        if (!SocketInspector.canListListeners()) {
            throw unavailable(check, System.getProperty("os.name"));
        }
    }

    static UnsupportedOperationException unavailable(String check, String platform) {
        return new UnsupportedOperationException(check + " reads the kernel's socket tables (/proc/net/tcp, tcp6, udp,"
                + " udp6), which Linux has and " + platform + " has not, so it cannot see who else listens on the"
                + " port (a wildcard 0.0.0.0 or :: listener, another address). Run this check on Linux, and skip it"
                + " elsewhere: assumeTrue(SocketInspector.canListListeners())");
    }
}
