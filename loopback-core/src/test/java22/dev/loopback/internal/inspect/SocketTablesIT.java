package dev.loopback.internal.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loopback.inspect.Connection;
import dev.loopback.inspect.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The netlink sock_diag reader beside the /proc/net reader, on the same sockets: against the jar
 * (Failsafe), where {@link SocketTables} is the JDK 22 variant. With native access enabled (the
 * build's tests on JDK 22+) it asks netlink; both readers must list exactly the same rows, inodes
 * and owner uids included, for TCP and UDP, IPv4 and IPv6, wildcard ({@code 0.0.0.0}, {@code [::]}), IPv4-mapped,
 * listening and established.
 */
class SocketTablesIT {

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable socket : opened) {
            socket.close();
        }
    }

    @Test
    void netlinkIsTheSourceWhenNativeAccessIsEnabled() {
        assertThat(SocketTables.source()).isEqualTo(
                getClass().getModule().isNativeAccessEnabled() ? "netlink sock_diag (FFM)" : "/proc/net");
        assertThat(SocketTables.available()).isTrue();
    }

    @Test
    void listenersAreTheSameAsInProcNetForEveryFamilyAndWildcard() throws IOException {
        Set<Integer> ports = Set.of(
                tcp(StandardProtocolFamily.INET, "127.0.0.1"),
                tcp(StandardProtocolFamily.INET, "0.0.0.0"),
                tcp(StandardProtocolFamily.INET6, "::1"),
                tcp(StandardProtocolFamily.INET6, "::"),
                tcp(StandardProtocolFamily.INET6, "::ffff:127.0.0.1"),
                udp(StandardProtocolFamily.INET, "127.0.0.1"),
                udp(StandardProtocolFamily.INET, "0.0.0.0"),
                udp(StandardProtocolFamily.INET6, "::1"),
                udp(StandardProtocolFamily.INET6, "::"),
                udp(StandardProtocolFamily.INET6, "::ffff:127.0.0.1"));
        Predicate<Listener> ours = l -> ports.contains(l.port());

        Set<Listener> fast = SocketTables.listeners().stream().filter(ours).collect(Collectors.toSet());
        Set<Listener> proc = ProcNet.listeners().stream().filter(ours).collect(Collectors.toSet());

        assertThat(fast).hasSize(10).isEqualTo(proc);
        assertThat(fast).filteredOn(Listener::isWildcard).hasSize(4); // 0.0.0.0 and [::], TCP and UDP
        // A v4-mapped socket is reported as the IPv4 address it serves, by both readers.
        assertThat(fast).filteredOn(l -> l.address().getHostAddress().equals("127.0.0.1")).hasSize(4);
        assertThat(fast).allMatch(l -> l.inode() > 0);
        long uid = ownUid();
        assertThat(fast).allMatch(l -> l.uid() == uid);
    }

    /** This process's user id, the owner the kernel lists for its sockets. */
    private static long ownUid() throws IOException {
        return ((Number) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid")).longValue();
    }

    @Test
    void establishedConnectionsAreTheSameAsInProcNetForIpv4Ipv6AndMapped() throws IOException {
        Set<Integer> ports = Set.of(
                connectedPair(StandardProtocolFamily.INET, "127.0.0.1"),
                connectedPair(StandardProtocolFamily.INET6, "::1"),
                connectedPair(StandardProtocolFamily.INET6, "::ffff:127.0.0.1"));
        Predicate<Connection> ours = c -> ports.contains(c.local().port()) || ports.contains(c.remote().port());

        Set<Connection> fast = SocketTables.established().stream().filter(ours).collect(Collectors.toSet());
        Set<Connection> proc = ProcNet.established().stream().filter(ours).collect(Collectors.toSet());

        assertThat(fast).hasSize(6).isEqualTo(proc); // each connection from both of its ends
        assertThat(fast).allMatch(c -> c.inode() > 0);
        long uid = ownUid();
        assertThat(fast).allMatch(c -> c.uid() == uid);
    }

    @Test
    void anInterruptedThreadGetsAnErrorFromNetlinkAndKeepsItsInterrupt() {
        // ProcNet throws only if its IPv6 reader is still running when the caller waits for it.
        assumeTrue(SocketTables.source().startsWith("netlink"), "netlink is the source (native access enabled)");
        Thread.currentThread().interrupt();
        try {
            assertThatIllegalStateException().isThrownBy(SocketTables::listeners)
                    .withMessage("interrupted while querying netlink sock_diag");
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt stays set").isTrue();
        }
        assertThat(SocketTables.listeners()).as("the next call, not interrupted, works").isNotNull();
    }

    private int tcp(StandardProtocolFamily family, String address) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(family);
        opened.add(server);
        server.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    private int udp(StandardProtocolFamily family, String address) throws IOException {
        DatagramChannel socket = DatagramChannel.open(family);
        opened.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        return ((InetSocketAddress) socket.getLocalAddress()).getPort();
    }

    private int connectedPair(StandardProtocolFamily family, String address) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(family);
        opened.add(server);
        server.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        SocketChannel client = SocketChannel.open(family);
        opened.add(client);
        client.connect(server.getLocalAddress());
        opened.add(server.accept());
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }
}
