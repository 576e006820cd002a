package dev.loopback;

import dev.loopback.internal.names.NameTable;
import dev.loopback.internal.names.Resolution;
import java.util.Optional;

/**
 * Whether the host names of spaces ({@link LoopbackSpace#hostName(String)},
 * {@link LoopbackSpace#exclusiveHostName(String)}) resolve in this JVM.
 *
 * <p>They resolve through the JDK's own resolver, for every caller in the JVM ({@code HttpClient},
 * {@code URL}, JDBC drivers, any thread), by way of {@code java.net.spi.InetAddressResolverProvider},
 * which exists from JDK 18 on. So they need: JDK 18 or newer; loopback-core as a jar on the class
 * path (a multi-release jar: its JDK 18 classes are in {@code META-INF/versions/18}, which a
 * directory or the module path does not give the JDK — see {@link #unavailableReason()}); and no
 * other resolver provider found before Loopback's. On JDK 17 everything else in Loopback works as
 * before; only the calls that hand out names fail, with {@link UnsupportedOperationException} and
 * the reason.
 */
public final class HostNames {

    /** The domain under which spaces' names live: {@code db.s7.loopback.test}. {@code .test} is reserved by RFC 6761. */
    public static final String DOMAIN = NameTable.DOMAIN;

    private HostNames() {}

    /**
     * Returns true if host names resolve in this JVM.
     *
     * @return true on JDK 18+ with loopback-core's resolver provider loaded (see {@link #unavailableReason()})
     */
    public static boolean available() {
        return Resolution.unavailableReason() == null;
    }

    /**
     * Returns why host names do not resolve in this JVM — for example that they need JDK 18 and
     * this is Java 17.0.15, or that loopback-core is on the module path — or empty if they do.
     *
     * @return the reason names do not resolve, in words for a test report, or empty where they do
     */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(Resolution.unavailableReason());
    }

    /** Throws {@link UnsupportedOperationException} saying why, if host names do not resolve here. */
    static void require(String call) {
        String reason = Resolution.unavailableReason();
        if (reason != null) {
            throw new UnsupportedOperationException(call + ": " + reason);
        }
    }
}
