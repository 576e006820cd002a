package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

    private static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void writesLiteralHostPortAndUri() throws UnknownHostException {
        Endpoint endpoint = new Endpoint(address("127.64.3.9"), 8080);

        assertThat(endpoint.hostPort()).isEqualTo("127.64.3.9:8080");
        assertThat(endpoint).hasToString("127.64.3.9:8080");
        assertThat(endpoint.uri("http")).isEqualTo(URI.create("http://127.64.3.9:8080"));
        assertThat(endpoint.uri("jdbc+postgresql").toString()).isEqualTo("jdbc+postgresql://127.64.3.9:8080");
        assertThat(endpoint.socketAddress()).isEqualTo(new InetSocketAddress("127.64.3.9", 8080));
        assertThat(endpoint.socketAddress().isUnresolved()).isFalse();
    }

    @Test
    void neverWritesLocalhost() throws UnknownHostException {
        Endpoint endpoint = Endpoint.of(new InetSocketAddress(InetAddress.getByName("localhost"), 5432));

        assertThat(endpoint.hostPort()).doesNotContain("localhost").endsWith(":5432");
        assertThat(endpoint.uri("http").toString()).doesNotContain("localhost");
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThat(space.endpoint("db").toString()).doesNotContain("localhost").startsWith("127.");
        }
    }

    @Test
    void writesIpv6InBracketsInShortForm() throws UnknownHostException {
        assertThat(new Endpoint(address("::1"), 80).hostPort()).isEqualTo("[::1]:80");
        assertThat(new Endpoint(address("::"), 80).hostPort()).isEqualTo("[::]:80");
        assertThat(new Endpoint(address("fe80:0:0:0:0:0:1:2"), 80).uri("http").toString())
                .isEqualTo("http://[fe80::1:2]:80");
        assertThat(new Endpoint(address("1:0:0:2:0:0:0:3"), 80).hostText()).isEqualTo("[1:0:0:2::3]");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void refusesPortOutside1To65535(int port) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Endpoint(InetAddress.getLoopbackAddress(), port))
                .withMessage("port " + port + " is outside 1..65535");
    }

    @Test
    void refusesUnresolvedAddressAndBadScheme() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Endpoint.of(InetSocketAddress.createUnresolved("db", 5432)))
                .withMessageContaining("is unresolved");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Endpoint(InetAddress.getLoopbackAddress(), 80).uri("1http"))
                .withMessageContaining("scheme '1http' is not a URI scheme");
    }

    @Test
    void hostNameGoesIntoUriAndSocketAddressButNotHostPort() throws UnknownHostException {
        Endpoint named = new Endpoint(address("127.64.3.9"), 8443).withHostName("web.s7.loopback.test");

        assertThat(named.uri("https")).isEqualTo(URI.create("https://web.s7.loopback.test:8443"));
        assertThat(named.hostPort()).isEqualTo("127.64.3.9:8443");
        assertThat(named.hostText()).isEqualTo("127.64.3.9");
        assertThat(named).hasToString("web.s7.loopback.test:8443 (127.64.3.9:8443)");
        InetSocketAddress socketAddress = named.socketAddress();
        assertThat(socketAddress.getHostString()).isEqualTo("web.s7.loopback.test"); // carried, not looked up
        assertThat(socketAddress.getAddress().getHostAddress()).isEqualTo("127.64.3.9");
        assertThat(socketAddress.isUnresolved()).isFalse();
    }

    @Test
    void endpointsDifferingOnlyInTheHostNameAreDifferentValues() throws UnknownHostException {
        Endpoint literal = new Endpoint(address("127.64.3.9"), 80);
        Endpoint named = literal.withHostName("web.s7.loopback.test");

        assertThat(named).isNotEqualTo(literal);
        assertThat(named.withHostName(null)).isEqualTo(literal);
        assertThat(literal.hostName()).isNull();
        assertThat(Endpoint.of(named.socketAddress())).isEqualTo(literal); // of() keeps the literal address only
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "web_1", "-web", "web-", "a..b", "127.64.3.9", "web:80", "w e b"})
    void refusesAHostNameThatIsNotADnsName(String name) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Endpoint(InetAddress.getLoopbackAddress(), 80, name))
                .withMessageStartingWith("host name '" + name + "' is not a DNS name");
    }
}
