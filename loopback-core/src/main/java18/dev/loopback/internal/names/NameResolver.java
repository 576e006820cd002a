package dev.loopback.internal.names;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.stream.Stream;

/**
 * The resolver of {@link LoopbackResolverProvider}: a name in {@link NameTable} gets its host's
 * address, any other name goes to the JDK's built-in resolver unchanged — except names under
 * {@value NameTable#DOMAIN}, which exist only as registered names and are answered as unknown
 * without asking DNS. A reverse lookup of a named host's address gives its name; of any other
 * address, the built-in resolver's answer. An ordinary lookup costs one read of an empty or
 * small map more than the built-in resolver.
 *
 * @param builtin the JDK's built-in resolver
 */
record NameResolver(InetAddressResolver builtin) implements InetAddressResolver {

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
