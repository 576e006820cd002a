package dev.loopback.internal.names;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * The JVM-wide resolver that makes the host names of live spaces resolve, registered through
 * {@code META-INF/services/java.net.spi.InetAddressResolverProvider}. Every lookup that misses the
 * JDK's own cache comes here: a name in {@link NameTable} gets its host's address, any other name
 * goes to the JDK's built-in resolver unchanged — except names under {@value NameTable#DOMAIN},
 * which exist only as registered names and are answered as unknown without asking DNS.
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
        return new Resolver(configuration.builtinResolver());
    }

    @Override
    public String name() {
        return "Loopback host names (*." + NameTable.DOMAIN + " and exclusive names of live spaces)";
    }

    private record Resolver(InetAddressResolver builtin) implements InetAddressResolver {

        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            InetAddress address = NameTable.address(host);
            if (address != null) {
                if ((policy.characteristics() & LookupPolicy.IPV4) == 0) {
                    throw new UnknownHostException(host + ": a Loopback host is an IPv4 address, and this lookup"
                            + " asked for IPv6 addresses only");
                }
                return Stream.of(InetAddress.getByAddress(host, address.getAddress()));
            }
            if (NameTable.isSpaceDomain(host)) {
                throw new UnknownHostException(host + ": no live Loopback space has this name (the space that"
                        + " handed it out is closed, or it never existed)");
            }
            return builtin.lookupByName(host, policy);
        }

        @Override
        public String lookupByAddress(byte[] address) throws UnknownHostException {
            String name = NameTable.name(address);
            return name != null ? name : builtin.lookupByAddress(address);
        }
    }
}
