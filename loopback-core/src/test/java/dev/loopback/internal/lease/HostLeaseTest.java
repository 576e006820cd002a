package dev.loopback.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopback.inspect.SocketInspector;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** The sentinel's semantics on this kernel: what it excludes and what it leaves alone. */
class HostLeaseTest {

    private final Cidr pool = Cidr.parse(PrivatePools.random(30));

    @Test
    void secondBindOfSentinelFailsWithAndWithoutReuseOptions() throws IOException {
        try (HostLease lease = HostLease.acquire(pool.at(1))) {
            InetSocketAddress sentinel = new InetSocketAddress(lease.address(), HostLease.SENTINEL_PORT);

            assertThatThrownBy(() -> HostLease.acquire(pool.at(1))).isInstanceOf(BindException.class);
            for (boolean reuseAddress : new boolean[] {false, true}) {
                for (boolean reusePort : new boolean[] {false, true}) {
                    try (SocketChannel rival = SocketChannel.open(StandardProtocolFamily.INET)) {
                        rival.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
                        rival.setOption(StandardSocketOptions.SO_REUSEPORT, reusePort);
                        assertThatThrownBy(() -> rival.bind(sentinel))
                                .as("SO_REUSEADDR=%s SO_REUSEPORT=%s", reuseAddress, reusePort)
                                .isInstanceOf(BindException.class);
                    }
                }
            }
            // A listener (the dual-stack IPv6 socket Java uses) with SO_REUSEADDR is refused as well.
            try (ServerSocket rival = new ServerSocket()) {
                rival.setReuseAddress(true);
                assertThatThrownBy(() -> rival.bind(sentinel)).isInstanceOf(BindException.class);
            }
        }
    }

    @Test
    void otherPortsOfLeasedHostAreFreeToListenAndConnect() throws IOException {
        try (HostLease lease = HostLease.acquire(pool.at(2));
                ServerSocketChannel server = ServerSocketChannel.open();
                ServerSocket plain = new ServerSocket()) {
            server.bind(new InetSocketAddress(lease.address(), 0));
            plain.bind(new InetSocketAddress(lease.address(), 0)); // SO_REUSEADDR is Java's default
            try (Socket client = new Socket(lease.address(), server.socket().getLocalPort());
                    SocketChannel accepted = server.accept()) {
                assertThat(accepted.getRemoteAddress()).isEqualTo(client.getLocalSocketAddress());
            }
        }
    }

    @Test
    void sentinelNeitherListensNorShowsInSocketTables() throws IOException {
        try (HostLease lease = HostLease.acquire(pool.at(3))) {
            assertThat(SocketInspector.listenersOn(lease.address())).isEmpty();
            assertThatThrownBy(() -> new Socket(lease.address(), HostLease.SENTINEL_PORT).close())
                    .hasMessageContaining("Connection refused");
        }
    }

    @Test
    void closingGivesAddressBackAtOnce() throws IOException {
        HostLease first = HostLease.acquire(pool.at(0));
        first.close();
        try (HostLease second = HostLease.acquire(pool.at(0))) {
            assertThat(second.address()).isEqualTo(first.address());
        }
    }
}
