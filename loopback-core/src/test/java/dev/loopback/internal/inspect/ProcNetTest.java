package dev.loopback.internal.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.inspect.Connection;
import dev.loopback.inspect.Listener;
import dev.loopback.inspect.Listener.Protocol;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Rows as Linux 6.18 prints them in /proc/net/{tcp,tcp6,udp,udp6}, captured from real sockets. */
class ProcNetTest {

    private static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void parsesIpv4ListenerWithItsOwner() throws UnknownHostException {
        Listener listener = ProcNet.parse("   0: 0903407F:1F91 00000000:0000 0A 00000000:00000001 00:00000000 00000000"
                + "  1000        0 888135 2 00000000da9eae36 100 0 0 10 0                    ", Protocol.TCP);

        assertThat(listener).isEqualTo(new Listener(Protocol.TCP, address("127.64.3.9"), 8081, 888135, 1000));
    }

    @Test
    void parsesIpv4Wildcard() {
        Listener listener = ProcNet.parse("   1: 00000000:BF27 00000000:0000 0A 00000000:00000000 00:00000000 00000000"
                + "     0        0 888134 1 00000000a701a349 100 0 0 10 0", Protocol.TCP);

        assertThat(listener.address()).isInstanceOf(Inet4Address.class);
        assertThat(listener.isWildcard()).isTrue();
        assertThat(listener.hostPort()).isEqualTo("0.0.0.0:48935");
    }

    @Test
    void parsesIpv6WildcardAsDoubleColon() {
        Listener listener = ProcNet.parse("   1: 00000000000000000000000000000000:B725 00000000000000000000000000000000:0000"
                + " 0A 00000000:00000000 00:00000000 00000000     0        0 888132 1 00000000fe9ad4af 100 0 0 10 0",
                Protocol.TCP);

        assertThat(listener.address()).isInstanceOf(Inet6Address.class);
        assertThat(listener.isWildcard()).isTrue();
        assertThat(listener.hostPort()).isEqualTo("[::]:46885");
        assertThat(listener.inode()).isEqualTo(888132);
    }

    @Test
    void reportsIpv4MappedAddressAsIpv4() throws UnknownHostException {
        Listener listener = ProcNet.parse("   0: 0000000000000000FFFF00000903407F:1F90 00000000000000000000000000000000:0000"
                + " 0A 00000000:00000000 00:00000000 00000000     0        0 888133 1 00000000951e87e2 100 0 0 10 0",
                Protocol.TCP);

        assertThat(listener.address()).isEqualTo(address("127.64.3.9")).isInstanceOf(Inet4Address.class);
        assertThat(listener.hostPort()).isEqualTo("127.64.3.9:8080");
    }

    @Test
    void skipsTcpSocketsThatDoNotListen() {
        assertThat(ProcNet.parse("   3: 0903407F:1F91 0100007F:CE56 01 00000000:00000000 00:00000000 00000000"
                + "     0        0 0 1 00000000a2f0d368 20 0 0 10 -1", Protocol.TCP)).isNull();
        assertThat(ProcNet.parse("  sl  local_address rem_address   st tx_queue rx_queue", Protocol.TCP)).isNull();
    }

    @Test
    void parsesUdpSockets() throws UnknownHostException {
        Listener v4 = ProcNet.parse(" 7071: 0903407F:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000"
                + "     0        0 888136 2 00000000eec71438 0        ", Protocol.UDP);
        Listener v6 = ProcNet.parse(" 7072: 00000000000000000000000001000000:14EA 00000000000000000000000000000000:0000"
                + " 07 00000000:00000000 00:00000000 00000000     0        0 888137 2 0000000071fa779e 0", Protocol.UDP);

        assertThat(v4).isEqualTo(new Listener(Protocol.UDP, address("127.64.3.9"), 5353, 888136, 0));
        assertThat(v6).isEqualTo(new Listener(Protocol.UDP, address("::1"), 5354, 888137, 0));
        assertThat(v6.hostPort()).isEqualTo("[::1]:5354");
    }

    @Test
    void parsesEstablishedConnectionWithBothEnds() throws UnknownHostException {
        Connection connection = ProcNet.parseConnection("   3: 0903407F:1F91 0100007F:CE56 01 00000000:00000000"
                + " 00:00000000 00000000     0        0 888140 1 00000000a2f0d368 20 0 0 10 -1");

        assertThat(connection).isEqualTo(new Connection(new Endpoint(address("127.64.3.9"), 8081),
                new Endpoint(address("127.0.0.1"), 52822), 888140, 0));
        assertThat(connection.toString()).isEqualTo("tcp 127.64.3.9:8081 <- 127.0.0.1:52822");
    }

    @Test
    void reportsIpv4MappedConnectionAsIpv4() throws UnknownHostException {
        Connection connection = ProcNet.parseConnection("   0: 0000000000000000FFFF00000903407F:1F90"
                + " 0000000000000000FFFF00000A03407F:A1B2 01 00000000:00000000 00:00000000 00000000     0        0"
                + " 888141 1 00000000951e87e2 20 0 0 10 -1");

        assertThat(connection.remote()).isEqualTo(new Endpoint(address("127.64.3.10"), 0xA1B2));
        assertThat(connection.remote().address()).isInstanceOf(Inet4Address.class);
    }

    @Test
    void skipsRowsThatAreNotEstablished() {
        assertThat(ProcNet.parseConnection("   1: 00000000:BF27 00000000:0000 0A 00000000:00000000 00:00000000"
                + " 00000000     0        0 888134 1 00000000a701a349 100 0 0 10 0")).isNull();
        assertThat(ProcNet.parseConnection("   4: 0903407F:1F91 0100007F:CE57 06 00000000:00000000 03:00000F2A"
                + " 00000000     0        0 0 3 0000000000000000")).isNull();
        assertThat(ProcNet.parseConnection("  sl  local_address rem_address   st tx_queue rx_queue")).isNull();
    }
}
