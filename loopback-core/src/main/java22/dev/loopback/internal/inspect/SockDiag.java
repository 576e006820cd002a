package dev.loopback.internal.inspect;

import dev.loopback.Endpoint;
import dev.loopback.inspect.Connection;
import dev.loopback.inspect.Listener;
import dev.loopback.inspect.Listener.Protocol;
import dev.loopback.internal.ffm.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's socket tables through netlink {@code sock_diag} ({@code NETLINK_SOCK_DIAG},
 * {@code SOCK_DIAG_BY_FAMILY} dumps with an {@code inet_diag_req_v2}): the same rows as
 * {@link ProcNet}, asked by state, so a query for listeners never walks the established hash
 * that makes an open of {@code /proc/net/tcp} cost half a millisecond. Needs native access; used by
 * {@link SocketTables} only. Each query opens its own netlink socket, so any thread may call.
 */
final class SockDiag {

    private static final int NETLINK_SOCK_DIAG = 4;
    private static final short SOCK_DIAG_BY_FAMILY = 20;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_DUMP = 0x300;
    private static final short NLMSG_ERROR = 2;
    private static final short NLMSG_DONE = 3;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int TCP_ESTABLISHED = 1;
    private static final int TCP_LISTEN = 10;
    private static final int ALL_STATES = -1;
    private static final int HEADER = 16;
    /** nlmsghdr + inet_diag_req_v2. */
    private static final int REQUEST = HEADER + 56;
    /** inet_diag_msg: family, state, timer, retrans, inet_diag_sockid (48), expires, rqueue, wqueue, uid, inode. */
    private static final int MESSAGE = 72;
    private static final int RECEIVE_BYTES = 64 * 1024;
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** One socket as the kernel reports it. */
    private record Row(InetAddress localAddress, int localPort, InetAddress remoteAddress, int remotePort, long inode,
            long uid) {}

    private SockDiag() {}

    /** Like {@link ProcNet#listeners()}: TCP sockets in LISTEN and UDP sockets on a port, IPv4 and IPv6. */
    static List<Listener> listeners() throws IOException {
        List<Listener> result = new ArrayList<>();
        query(List.of(
                new Query(Libc.AF_INET, IPPROTO_TCP, 1 << TCP_LISTEN),
                new Query(Libc.AF_INET, IPPROTO_UDP, ALL_STATES),
                new Query(Libc.AF_INET6, IPPROTO_TCP, 1 << TCP_LISTEN),
                new Query(Libc.AF_INET6, IPPROTO_UDP, ALL_STATES)), (query, row) -> {
                    if (row.localPort() != 0) {
                        Protocol protocol = query.protocol() == IPPROTO_TCP ? Protocol.TCP : Protocol.UDP;
                        result.add(new Listener(protocol, row.localAddress(), row.localPort(), row.inode(), row.uid()));
                    }
                });
        return result;
    }

    /** Like {@link ProcNet#established()}: every established TCP connection, IPv4 and IPv6. */
    static List<Connection> established() throws IOException {
        List<Connection> result = new ArrayList<>();
        query(List.of(
                new Query(Libc.AF_INET, IPPROTO_TCP, 1 << TCP_ESTABLISHED),
                new Query(Libc.AF_INET6, IPPROTO_TCP, 1 << TCP_ESTABLISHED)), (query, row) -> result.add(
                        new Connection(new Endpoint(row.localAddress(), row.localPort()),
                                new Endpoint(row.remoteAddress(), row.remotePort()), row.inode(), row.uid())));
        return result;
    }

    private record Query(int family, int protocol, int states) {}

    private interface Sink {
        void accept(Query query, Row row);
    }

    private static void query(List<Query> queries, Sink sink) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Libc.Errno errno = new Libc.Errno(arena);
            int fd = Libc.socket(errno, Libc.AF_NETLINK, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
            try {
                MemorySegment timeout = arena.allocate(16, 8); // struct timeval: a stuck dump fails, never hangs
                timeout.set(ValueLayout.JAVA_LONG, 0, 2);
                Libc.setsockopt(errno, fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout);
                MemorySegment request = arena.allocate(REQUEST, 8);
                MemorySegment buffer = arena.allocate(RECEIVE_BYTES, 8);
                int sequence = 0;
                for (Query query : queries) {
                    request.fill((byte) 0);
                    request.set(INT, 0, REQUEST);
                    request.set(SHORT, 4, SOCK_DIAG_BY_FAMILY);
                    request.set(SHORT, 6, (short) (NLM_F_REQUEST | NLM_F_DUMP));
                    request.set(INT, 8, ++sequence);
                    request.set(ValueLayout.JAVA_BYTE, HEADER, (byte) query.family());
                    request.set(ValueLayout.JAVA_BYTE, HEADER + 1, (byte) query.protocol());
                    request.set(INT, HEADER + 4, query.states());
                    Libc.send(errno, fd, request, REQUEST);
                    receive(errno, fd, buffer, sequence, query, sink);
                }
            } finally {
                Libc.close(errno, fd);
            }
        }
    }

    /** Reads the dump's replies until NLMSG_DONE. */
    private static void receive(Libc.Errno errno, int fd, MemorySegment buffer, int sequence, Query query, Sink sink)
            throws IOException {
        while (true) {
            long length = Libc.recv(errno, fd, buffer);
            long at = 0;
            while (at + HEADER <= length) {
                int messageLength = buffer.get(INT, at);
                short type = buffer.get(SHORT, at + 4);
                if (messageLength < HEADER || at + messageLength > length) {
                    throw new IOException("sock_diag: malformed reply (message of " + messageLength + " bytes)");
                }
                if (buffer.get(INT, at + 8) == sequence) {
                    if (type == NLMSG_DONE) {
                        return;
                    }
                    if (type == NLMSG_ERROR) {
                        int code = -buffer.get(INT, at + HEADER);
                        throw new IOException("sock_diag: " + Libc.describe(code) + " (errno " + code + ")");
                    }
                    if (type == SOCK_DIAG_BY_FAMILY && messageLength >= HEADER + MESSAGE) {
                        sink.accept(query, row(buffer.asSlice(at + HEADER, MESSAGE)));
                    }
                }
                at += (messageLength + 3) & ~3;
            }
        }
    }

    private static Row row(MemorySegment message) {
        int family = Byte.toUnsignedInt(message.get(ValueLayout.JAVA_BYTE, 0));
        int localPort = Short.toUnsignedInt(message.get(PORT, 4));
        int remotePort = Short.toUnsignedInt(message.get(PORT, 6));
        int addressBytes = family == Libc.AF_INET ? 4 : 16;
        InetAddress local = address(message.asSlice(8, addressBytes).toArray(ValueLayout.JAVA_BYTE));
        InetAddress remote = address(message.asSlice(24, addressBytes).toArray(ValueLayout.JAVA_BYTE));
        long uid = Integer.toUnsignedLong(message.get(INT, 64));
        long inode = Integer.toUnsignedLong(message.get(INT, 68));
        return new Row(local, localPort, remote, remotePort, inode, uid);
    }

    /** IPv4-mapped IPv6 addresses come back as IPv4, as {@link ProcNet#address(String)} gives them. */
    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("bad address length from sock_diag: " + bytes.length, impossible);
        }
    }
}
