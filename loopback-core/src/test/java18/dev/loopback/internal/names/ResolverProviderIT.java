package dev.loopback.internal.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.net.spi.InetAddressResolverProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Loopback's resolver alone, in front of a recording stand-in for the JDK's built-in resolver. */
class ResolverProviderIT {

    private static final LookupPolicy BOTH = LookupPolicy.of(LookupPolicy.IPV4 | LookupPolicy.IPV6);

    /** Answers every name with 192.0.2.1 and every address with "system.example", and records the calls. */
    private static final class Builtin implements InetAddressResolver {
        final List<String> calls = new ArrayList<>();

        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            calls.add("name " + host + " " + policy.characteristics());
            return Stream.of(InetAddress.getByAddress(host, new byte[] {(byte) 192, 0, 2, 1}));
        }

        @Override
        public String lookupByAddress(byte[] address) throws UnknownHostException {
            calls.add("address " + InetAddress.getByAddress(address).getHostAddress());
            return "system.example";
        }
    }

    /**
     * Returns Loopback's resolver in front of {@code builtin}. The JDK's Configuration is sealed, so
     * the resolver is built directly (it is package-private and exists in the jar's
     * META-INF/versions/18 only, hence reflection rather than a compile-time reference).
     */
    private static InetAddressResolver resolver(InetAddressResolver builtin) throws Exception {
        return (InetAddressResolver) Class.forName("dev.loopback.internal.names.NameResolver")
                .getDeclaredConstructor(InetAddressResolver.class)
                .newInstance(builtin);
    }

    @Test
    void theJarRegistersLoopbacksProviderWhereTheJdkLooksForIt() {
        assertThat(ServiceLoader.load(InetAddressResolverProvider.class).stream().map(p -> p.type().getName()))
                .containsExactly("dev.loopback.internal.names.LoopbackResolverProvider");
    }

    @Test
    void unregisteredNamesAndAddressesGoToTheBuiltinResolverUnchanged() throws Exception {
        Builtin builtin = new Builtin();
        InetAddressResolver resolver = resolver(builtin);

        assertThat(resolver.lookupByName("Example.ORG", BOTH).map(InetAddress::getHostAddress)).containsExactly("192.0.2.1");
        assertThat(resolver.lookupByAddress(new byte[] {127, 0, 0, 1})).isEqualTo("system.example");
        assertThat(builtin.calls).containsExactly("name Example.ORG " + BOTH.characteristics(), "address 127.0.0.1");
    }

    @Test
    void registeredNamesAreAnsweredWithoutTheBuiltinResolverInAnyCase() throws Exception {
        Builtin builtin = new Builtin();
        InetAddressResolver resolver = resolver(builtin);
        Object owner = new Object();
        InetAddress host = InetAddress.getByAddress(new byte[] {127, 64, 9, 9});
        NameTable.register("db.t1.loopback.test", host, owner, true);
        try {
            assertThat(resolver.lookupByName("DB.t1.Loopback.Test.", BOTH))
                    .singleElement()
                    .satisfies(a -> assertThat(a.getHostAddress()).isEqualTo("127.64.9.9"))
                    .satisfies(a -> assertThat(a.getHostName()).isEqualTo("DB.t1.Loopback.Test."));
            assertThat(resolver.lookupByAddress(host.getAddress())).isEqualTo("db.t1.loopback.test");
            assertThat(builtin.calls).isEmpty();
        } finally {
            NameTable.releaseAll(owner);
        }
        assertThatThrownBy(() -> resolver.lookupByName("db.t1.loopback.test", BOTH))
                .isInstanceOf(UnknownHostException.class)
                .hasMessage("db.t1.loopback.test: no live Loopback space has this name (the space that handed it out"
                        + " is closed, or it never existed)");
        assertThat(builtin.calls).as("a dead name under loopback.test never reaches DNS").isEmpty();
    }

    @Test
    void anIpv6OnlyLookupOfARegisteredNameIsUnknown() throws Exception {
        InetAddressResolver resolver = resolver(new Builtin());
        Object owner = new Object();
        NameTable.register("db.t2.loopback.test", InetAddress.getByAddress(new byte[] {127, 64, 9, 10}), owner, true);
        try {
            assertThatThrownBy(() -> resolver.lookupByName("db.t2.loopback.test", LookupPolicy.of(LookupPolicy.IPV6)))
                    .isInstanceOf(UnknownHostException.class)
                    .hasMessageContaining("asked for IPv6 addresses only");
        } finally {
            NameTable.releaseAll(owner);
        }
    }
}
