package dev.loopback.internal.names;

import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;

/**
 * The JVM-wide resolver that makes the host names of live spaces resolve, registered through
 * {@code META-INF/services/java.net.spi.InetAddressResolverProvider}. The JDK loads it once, at the
 * JVM's first host-name lookup, and from then on sends every lookup that misses its own cache to
 * the {@link NameResolver}.
 */
public final class LoopbackResolverProvider extends InetAddressResolverProvider {

    private static volatile boolean installed;

    /** Called by the JDK's {@link java.util.ServiceLoader}. */
    public LoopbackResolverProvider() {}

    /** Returns true once the JDK has asked this provider for its resolver. */
    static boolean installed() {
        return installed;
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        installed = true;
        return new NameResolver(configuration.builtinResolver());
    }

    @Override
    public String name() {
        return "Loopback host names (*." + NameTable.DOMAIN + " and exclusive names of live spaces)";
    }
}
