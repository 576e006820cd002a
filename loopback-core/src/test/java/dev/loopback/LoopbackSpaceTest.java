package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.internal.lease.PrivatePools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import dev.loopback.internal.lease.HostLeaseAcrossJvmsTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopbackSpaceTest {

    @Test
    void sameNameGivesSameHostAndDifferentNamesDifferentHosts() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            InetAddress db = space.host("db");
            InetAddress web = space.host("web");

            assertThat(space.host("db")).isEqualTo(db);
            assertThat(web).isNotEqualTo(db);
            assertThat(space.endpoint("db").address()).isEqualTo(db);
            assertThat(space.bind("web").socket().getInetAddress()).isEqualTo(web);
        }
    }

    @Test
    void hostsComeFromDefaultPoolOutside127_0() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            byte[] address = space.host("db").getAddress();

            assertThat(address[0]).isEqualTo((byte) 127);
            assertThat(address[1] & 0xC0).as("second octet in 64..127").isEqualTo(64);
            assertThat(space.isFallback()).isFalse();
        }
    }

    @Test
    void leasesHostsOnlyWhenFirstUsed() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThat(space.hosts()).isEmpty();

            Endpoint web = space.endpoint("web");
            InetAddress db = space.host("db");
            space.host("web");

            assertThat(space.hosts()).containsExactly(Map.entry("web", web.address()), Map.entry("db", db));
        }
    }

    // A child JVM spawned at the moment a lease closes holds its sentinel for a few milliseconds
    // (it inherits every descriptor until it closes them), so this does not run while one starts.
    @ResourceLock(HostLeaseAcrossJvmsTest.SPAWNS_CHILD_JVMS)
    @Test
    void closeGivesHostsBackSoTheirSentinelPortIsFree() throws IOException {
        InetAddress host;
        try (LoopbackSpace space = LoopbackSpace.open()) {
            host = space.host("db");
            try (ServerSocket rival = new ServerSocket()) {
                assertThatThrownBy(() -> rival.bind(new InetSocketAddress(host, 65535)))
                        .isInstanceOf(BindException.class);
            }
        }
        try (ServerSocket sameSocket = new ServerSocket()) {
            sameSocket.bind(new InetSocketAddress(host, 65535));
            assertThat(sameSocket.getLocalPort()).isEqualTo(65535);
        }
    }

    // A child JVM spawned while a listener closes keeps it open for a few milliseconds (it inherits
    // every descriptor until it closes them), so this does not run while one starts.
    @ResourceLock(HostLeaseAcrossJvmsTest.SPAWNS_CHILD_JVMS)
    @Test
    void closeIsIdempotentAndClosesBoundListeners() throws IOException {
        LoopbackSpace space = LoopbackSpace.open();
        ServerSocketChannel listener = space.bind("web");
        InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();

        space.close();
        space.close();

        assertThat(space.isClosed()).isTrue();
        assertThat(listener.isOpen()).isFalse();
        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
                .hasMessageContaining("Connection refused");
    }

    @Test
    void boundListenerIsAlreadyListening() throws IOException {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            ServerSocketChannel listener = space.bind("echo", 7);
            Endpoint endpoint = Endpoint.of((InetSocketAddress) listener.getLocalAddress());

            try (Socket client = new Socket(endpoint.address(), endpoint.port());
                    SocketChannel accepted = listener.accept()) {
                new PrintWriter(accepted.socket().getOutputStream(), true, StandardCharsets.UTF_8).println("hello");
                String line = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                assertThat(line).isEqualTo("hello");
                assertThat(endpoint.port()).isEqualTo(7);
            }
        }
    }

    @Test
    void kernelAssignedPortsAreNeverHandedOutTwiceOnAHost() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            Set<Integer> ports = new HashSet<>();
            // The kernel picks ports at random from ~14,000; 400 draws repeat one ~5 times on average.
            for (int i = 0; i < 400; i++) {
                ports.add(space.endpoint("web").port());
            }
            ports.add(space.bind("web").socket().getLocalPort());

            assertThat(ports).hasSize(401);
        }
    }

    @Test
    void askingAgainForAFixedEndpointWorksWhileItsServerListens() throws IOException {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            Endpoint endpoint = space.endpoint("web", 8080);
            try (ServerSocket server = new ServerSocket()) {
                server.bind(endpoint.socketAddress());

                assertThat(space.endpoint("web", 8080)).isEqualTo(endpoint);
            }
        }
    }

    @Test
    void busyPortOnOwnHostNamesTheListenerAndItsProcess() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            ServerSocketChannel first = space.bind("web", 8080);

            assertThatIllegalStateException()
                    .isThrownBy(() -> space.bind("web", 8080))
                    .withMessageContaining("cannot bind " + space.host("web").getHostAddress() + ":8080")
                    .withMessageContaining("tcp " + space.host("web").getHostAddress() + ":8080 held by pid "
                            + ProcessHandle.current().pid());
            assertThat(first.isOpen()).isTrue();
        }
    }

    @Test
    void seedIsRandomUnlessGiven() {
        try (LoopbackSpace given = LoopbackSpace.builder().seed(42).open()) {
            assertThat(given.seed()).isEqualTo(42);
            assertThat(given.toString()).contains("seed=42");
        }
    }

    // ---------------------------------------------------------------- bad input

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, Integer.MIN_VALUE})
    void portOutsideRangeIsRefused(int port) {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.endpoint("web", port))
                    .withMessage("port " + port + " is outside 0..65535 (0 = kernel-assigned)");
            assertThatIllegalArgumentException().isThrownBy(() -> space.bind("web", port));
            assertThat(space.hosts()).as("no host leased for a refused request").isEmpty();
        }
    }

    @Test
    void sentinelPortIsRefused() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.endpoint("web", 65535))
                    .withMessageContaining("port 65535 of a leased host is held by the lease's sentinel")
                    .withMessageContaining("1..65534");
            assertThatIllegalArgumentException().isThrownBy(() -> space.bind("web", 65535));
            assertThat(space.hosts()).as("no host leased for a refused request").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankHostNameIsRefused(String name) {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.host(name))
                    .withMessage("host name '" + name + "' is blank; use a name such as \"db\"");
            assertThatIllegalArgumentException().isThrownBy(() -> space.endpoint(name));
            assertThatIllegalArgumentException().isThrownBy(() -> space.bind(name, 8080));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u200B", "\u200B\u2060", "\u00A0\u200B"})
    void hostNameWithoutAVisibleCharacterIsRefused(String name) {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.host(name))
                    .withMessageContaining("has no visible character")
                    .withMessageContaining("U+200B");
            assertThat(space.hosts()).isEmpty();
        }
    }

    @Test
    void hostNameWithAControlCharacterIsRefused() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.host("db\u0000"))
                    .withMessage("host name 'dbU+0000' contains the control character U+0000; use a printable name such as \"db\"");
        }
    }

    @Test
    void hostNameReservedForLinksIsRefused() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.host("link:db"))
                    .withMessageContaining("'link:db' starts with 'link:'");
        }
    }

    @Test
    void useAfterCloseSaysWhatWasCalled() {
        LoopbackSpace space = LoopbackSpace.builder().seed(7).open();
        space.host("db");
        space.close();

        assertThatIllegalStateException()
                .isThrownBy(() -> space.host("db"))
                .withMessage("host(\"db\") on a LoopbackSpace that is closed (seed 7);"
                        + " a space cannot be used after close, open a new one");
        assertThatIllegalStateException()
                .isThrownBy(() -> space.endpoint("db", 8080))
                .withMessageStartingWith("endpoint(\"db\", 8080) on a LoopbackSpace that is closed");
        assertThatIllegalStateException()
                .isThrownBy(() -> space.bind("web"))
                .withMessageStartingWith("bind(\"web\") on a LoopbackSpace that is closed");
        assertThat(space.hosts()).containsOnlyKeys("db");
    }

    @Test
    void useAfterCloseSocketsSaysSo() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            space.closeSockets();

            assertThatIllegalStateException()
                    .isThrownBy(() -> space.endpoint("db"))
                    .withMessageContaining("endpoint(\"db\") on a LoopbackSpace that is closing (closeSockets() was called)");
        }
    }

    @Test
    void exhaustedPoolSaysHowManyHostsAreHeldBySpacesOfThisJvm() {
        String pool = PrivatePools.random(30);
        try (LoopbackSpace first = LoopbackSpace.builder().pool(pool).open();
                LoopbackSpace second = LoopbackSpace.builder().pool(pool).open()) {
            first.host("a");
            first.host("b");
            second.host("c");
            second.host("d");

            assertThatIllegalStateException()
                    .isThrownBy(() -> second.endpoint("e"))
                    .withMessageContaining("address pool " + pool + " is exhausted")
                    .withMessageContaining("This JVM holds 4 hosts of the pool in 2 live space(s)")
                    .withMessageContaining("use a larger pool (LoopbackSpace.builder().pool(...)");
            first.close();
            assertThat(second.host("e")).isIn(first.hosts().values());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.64.0.0", "10.0.0.0/8", "127.64.0.1/10", "127.0.0.0/40"})
    void badPoolIsRefusedByTheBuilder(String pool) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LoopbackSpace.builder().pool(pool))
                .withMessageStartingWith("address pool '" + pool + "'");
    }
}
