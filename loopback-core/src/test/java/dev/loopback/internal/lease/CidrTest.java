package dev.loopback.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @Test
    void parsesBlockAndWritesItCanonically() {
        Cidr cidr = Cidr.parse("127.064.0.0/10");

        assertThat(cidr.text()).isEqualTo("127.64.0.0/10");
        assertThat(cidr).isEqualTo(Cidr.parse("127.64.0.0/10"));
        assertThat(cidr.size()).isEqualTo(1L << 22);
        assertThat(Cidr.format(cidr.at(cidr.size() - 1))).isEqualTo("127.127.255.255");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "localhost            | is not an IPv4 CIDR block such as 127.64.0.0/10",
        "127.64.0.0           | is not an IPv4 CIDR block",
        "127.64.0.0/          | is not an IPv4 CIDR block",
        "127.64.0.0/10/2      | is not an IPv4 CIDR block",
        "::1/128              | is not an IPv4 CIDR block",
        "10.0.0.0/8           | is outside 127.0.0.0/8",
        "126.0.0.0/7          | is outside 127.0.0.0/8",
        "127.300.0.0/16       | has octet 300 outside 0..255",
        "127.0.0.0/33         | has prefix /33; allowed /8 to /32",
        "127.64.0.1/10        | has host bits set; did you mean 127.64.0.0/10?",
        "127.0.0.1/32         | has no address that can be leased",
        "127.9.9.255/32       | has no address that can be leased",
        "127.0.0.0/31         | has no address that can be leased"
    })
    void refusesBadPoolNamingTheValue(String pool, String problem) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Cidr.parse(pool))
                .withMessageContaining("'" + pool + "'")
                .withMessageContaining(problem);
    }

    @Test
    void refusesNullPool() {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(null)).withMessageContaining("'null'");
    }

    @Test
    void neverLeasesAddressesEndingIn0Or255() {
        Cidr big = Cidr.parse("127.64.0.0/10");
        assertThat(big.leasable(big.at(0))).isFalse();
        assertThat(big.leasable(big.at(255))).isFalse();
        assertThat(big.leasable(big.at(256 + 9))).isTrue();
        assertThat(Cidr.format(big.firstLeasable())).isEqualTo("127.64.0.1");

        Cidr tiny = Cidr.parse("127.200.1.252/30");
        assertThat(tiny.leasable(tiny.at(3))).isFalse();
        assertThat(Cidr.format(tiny.firstLeasable())).isEqualTo("127.200.1.252");
    }

    @Test
    void jdkRefusesIpv4SocketsOnLoopbackAddressesEndingIn255() throws IOException {
        // Why .255 is never leased: a dual-stack socket binds it, an IPv4 one does not.
        InetSocketAddress dot255 = new InetSocketAddress(Cidr.toInet(Cidr.parse(PrivatePools.random(30)).at(0) | 0xFF), 0);
        try (ServerSocketChannel ipv4 = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            assertThatThrownBy(() -> ipv4.bind(dot255)).hasMessageContaining("Cannot assign requested address");
        }
        try (ServerSocketChannel dualStack = ServerSocketChannel.open()) {
            dualStack.bind(dot255);
        }
    }

    @Test
    void neverLeases127001() {
        Cidr cidr = Cidr.parse("127.0.0.0/24");
        assertThat(cidr.leasable(0x7F000001)).isFalse();
        assertThat(Cidr.format(cidr.firstLeasable())).isEqualTo("127.0.0.2");
    }
}
