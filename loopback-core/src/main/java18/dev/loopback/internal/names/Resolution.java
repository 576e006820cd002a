package dev.loopback.internal.names;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolverProvider;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Whether host names resolve in this JVM — the JDK 18 variant ({@code META-INF/versions/18}):
 * they do once the JDK has loaded {@link LoopbackResolverProvider} as its resolver. The JDK does
 * that once, at the JVM's first host-name lookup; this class triggers that lookup if none happened
 * yet and, if the JDK chose otherwise, says why.
 */
public final class Resolution {

    /** The first JDK with {@code java.net.spi.InetAddressResolverProvider}. */
    public static final int REQUIRED_FEATURE = 18;

    private Resolution() {}

    /** Returns null if host names resolve in this JVM, otherwise why they do not. */
    public static String unavailableReason() {
        if (LoopbackResolverProvider.installed()) {
            return null;
        }
        try {
            InetAddress.getAllByName("localhost"); // the JVM's first lookup loads the resolver, if none did yet
        } catch (UnknownHostException ignored) {
            // the resolver is loaded either way
        }
        return LoopbackResolverProvider.installed() ? null : "the JDK did not load Loopback's resolver: " + why();
    }

    private static String why() {
        if (Resolution.class.getModule().isNamed()) {
            return "loopback-core is on the module path (module " + Resolution.class.getModule().getName() + "), where"
                    + " the JDK takes resolver providers only from a module descriptor's 'provides' clause. The"
                    + " descriptor is compiled for Java 17, which has no java.net.spi.InetAddressResolverProvider to"
                    + " name, and a multi-release jar's versioned descriptor must provide the same services as its"
                    + " root one. Put loopback-core on the class path (Maven Surefire and Failsafe:"
                    + " <useModulePath>false</useModulePath>)";
        }
        String hostsFile = System.getProperty("jdk.net.hosts.file");
        if (hostsFile != null) {
            return "the system property jdk.net.hosts.file is set (" + hostsFile + "), so the JDK resolves from that"
                    + " file and loads no resolver provider";
        }
        String providers = ServiceLoader.load(InetAddressResolverProvider.class).stream()
                .map(p -> p.type().getName())
                .collect(Collectors.joining(", "));
        return "the JDK uses the first resolver provider it finds, once, at the JVM's first host-name lookup, through"
                + " the class loader of the thread that made it. Providers visible to this thread's class loader: ["
                + providers + "]. Either another provider came first, or that first lookup ran where loopback-core was"
                + " not visible (a thread whose context class loader cannot see it)";
    }
}
