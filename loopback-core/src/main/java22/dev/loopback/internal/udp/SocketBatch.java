package dev.loopback.internal.udp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.loopback.internal.ffm.Libc;
import dev.loopback.internal.ffm.NativeAccess;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;

/**
 * Batched system calls on one of a link's sockets — the JDK 22 variant
 * ({@code META-INF/versions/22}): {@code recvmmsg} and {@code sendmmsg} through the FFM API, up to
 * {@link #SIZE} datagrams per call, when native access is enabled on 64-bit Linux.
 *
 * <p><b>Finding the socket.</b> The JDK does not tell a {@code DatagramChannel}'s file descriptor.
 * {@link #of} finds it among the process's descriptors as the one UDP socket whose
 * {@code getsockname} is the channel's local address: the kernel gives an address and port to one
 * UDP socket only (the link never sets {@code SO_REUSEADDR}), so the match is the channel's own
 * socket. It asks first the descriptor {@link #nextDescriptor()} saw free just before the channel
 * was opened, which the kernel almost always gave it. The channel keeps that descriptor while it is open, and every call here first checks
 * that it is. If no socket matches, {@link #of} returns null and the link uses the channel.
 *
 * <p><b>Receiving.</b> {@link #receive} takes up to {@link #SIZE} waiting datagrams into slots of
 * 64 KiB of the caller's buffer (the engine loop's 4 MiB read buffer), more than the largest UDP
 * datagram over IPv4 (65,507 bytes) or IPv6 (65,527), so, as through the channel, no datagram is
 * ever cut. {@link #datagram} and {@link #sender} read one of them until the next receive on the
 * same thread.
 *
 * <p><b>Failures.</b> A call that fails returns -1 and the caller falls back to the channel for that
 * datagram or wakeup, which then sees the condition (a full socket buffer, an error) the way the
 * Java 17 path does. The native areas (message headers, I/O vectors, addresses; about 14 KiB) are
 * one per thread (the engine loop that owns the link, and a thread that opens one), freed when the
 * thread ends. An instance is used by its link's loop thread only.
 */
final class SocketBatch {

    /** Datagrams per batched call. */
    static final int SIZE = 64;

    private static final int SLOT_BYTES = 64 * 1024;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCKADDR_BYTES = 28; // sockaddr_in6
    private static final int SOCKADDR_IN_BYTES = 16;
    /**
     * The search for a channel's descriptor gives up after this many unused descriptors in a row:
     * the channel got the lowest free one, so only descriptors closed since lie below it.
     */
    private static final int MAX_UNUSED_DESCRIPTORS = 4096;
    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final String UNAVAILABLE = NativeAccess.enabled()
            ? (ADDRESS.byteSize() == 8 ? null : "a 32-bit JVM")
            : "native access not enabled";
    private static volatile String failure = UNAVAILABLE;

    private final DatagramChannel channel;
    private final int fd;
    private final boolean inet6;
    /** The last sender decoded, and its raw address, so a burst from one client decodes it once. */
    private final byte[] lastSender = new byte[SOCKADDR_BYTES];
    private int lastSenderLength = -1;
    private InetSocketAddress lastSenderAddress;
    /** The last destination encoded for {@link #add}, and the message whose address holds it. */
    private InetSocketAddress lastTo;
    private int lastToMessage;
    private int largestReceive;

    private SocketBatch(DatagramChannel channel, int fd, boolean inet6) {
        this.channel = channel;
        this.fd = fd;
        this.inet6 = inet6;
    }

    /**
     * Returns the descriptor the next socket of this process will get unless another thread opens
     * one first (the lowest free one), to pass to {@link #of}; -1 if batching is unavailable.
     */
    static int nextDescriptor() {
        if (failure != null) {
            return -1;
        }
        try {
            Libc.Errno errno = Area.get().errno;
            int fd = Libc.socket(errno, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            Libc.close(errno, fd);
            return fd;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (LinkageError e) {
            failure = e.toString();
            return -1;
        }
    }

    /**
     * Returns the batched calls on {@code channel}'s socket, or null if they are unavailable or it is
     * not found; {@code hint} is {@link #nextDescriptor()} taken just before the channel was opened.
     */
    static SocketBatch of(DatagramChannel channel, int hint) {
        if (failure != null) {
            return null;
        }
        try {
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            boolean inet6 = local.getAddress() instanceof Inet6Address;
            int fd = find(local, inet6, hint);
            return fd < 0 ? null : new SocketBatch(channel, fd, inet6);
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (LinkageError e) { // the C library lacks a call: the channels serve every link from now on
            failure = e.toString();
            return null;
        }
    }

    /** Names how UDP links move datagrams, for a failing test's report. */
    static String io() {
        String why = failure;
        if (why == null) {
            return "recvmmsg/sendmmsg (FFM), up to " + SIZE + " datagrams per system call";
        }
        String channel = "DatagramChannel, one datagram per system call";
        return NativeAccess.enabled() ? channel + " (recvmmsg/sendmmsg unavailable: " + why + ")" : channel;
    }

    /**
     * Receives up to {@link #SIZE} waiting datagrams into {@code buffer} (direct, at least one
     * 64 KiB slot); returns how many, 0 if none waits, -1 if the call failed.
     */
    int receive(ByteBuffer buffer) {
        if (!channel.isOpen()) {
            return -1;
        }
        Area area = Area.get();
        long data = MemorySegment.ofBuffer(buffer.clear()).address();
        int slots = Math.min(SIZE, buffer.capacity() / SLOT_BYTES);
        for (int i = 0; i < slots; i++) {
            area.receiveIovecs.set(JAVA_LONG, i * Area.IOVEC.byteSize(), data + (long) i * SLOT_BYTES);
            area.receiveIovecs.set(JAVA_LONG, i * Area.IOVEC.byteSize() + JAVA_LONG.byteSize(), SLOT_BYTES);
            long message = i * Area.MMSGHDR.byteSize();
            area.receiveMessages.set(JAVA_INT, message + Area.NAME_LENGTH, SOCKADDR_BYTES);
            area.receiveMessages.set(JAVA_INT, message + Area.FLAGS, 0);
        }
        int received = Libc.recvmmsg(area.errno, fd, area.receiveMessages, slots, Libc.MSG_DONTWAIT);
        if (received < 0) {
            return area.errno.value() == Libc.EAGAIN ? 0 : -1;
        }
        largestReceive = Math.max(largestReceive, received);
        return received;
    }

    /** The most datagrams one {@link #receive} took (for tests: that batching happened). */
    int largestReceive() {
        return largestReceive;
    }

    /** Sets {@code buffer}'s position and limit to datagram {@code i} of the last {@link #receive} into it. */
    ByteBuffer datagram(ByteBuffer buffer, int i) {
        int length = Area.get().receiveMessages.get(JAVA_INT, i * Area.MMSGHDR.byteSize() + Area.LENGTH);
        buffer.clear().position(i * SLOT_BYTES).limit(i * SLOT_BYTES + length);
        return buffer;
    }

    /** Who sent datagram {@code i} of the last {@link #receive}. */
    InetSocketAddress sender(int i) {
        Area area = Area.get();
        int length = area.receiveMessages.get(JAVA_INT, i * Area.MMSGHDR.byteSize() + Area.NAME_LENGTH);
        long offset = (long) i * SOCKADDR_BYTES;
        MemorySegment cached = MemorySegment.ofArray(lastSender);
        if (length != lastSenderLength
                || MemorySegment.mismatch(area.receiveNames, offset, offset + length, cached, 0, length) != -1) {
            lastSenderAddress = decode(area.receiveNames, offset);
            lastSenderLength = length;
            MemorySegment.copy(area.receiveNames, offset, cached, 0, length);
        }
        return lastSenderAddress;
    }

    /**
     * Puts the datagram in {@code bytes} (direct; position to limit) at message {@code i} of the
     * next {@link #send}, toward {@code to}; returns false if this socket's family cannot reach
     * {@code to} (the channel then says why).
     */
    boolean add(int i, ByteBuffer bytes, InetSocketAddress to) {
        Area area = Area.get();
        long message = i * Area.MMSGHDR.byteSize();
        if (i == 0 || to != lastTo) {
            if (!encode(to, inet6, area.sendNames, (long) i * SOCKADDR_BYTES)) {
                return false;
            }
            lastTo = to;
            lastToMessage = i;
        }
        area.sendMessages.set(JAVA_LONG, message + Area.NAME, area.sendNames.address() + (long) lastToMessage * SOCKADDR_BYTES);
        area.sendMessages.set(JAVA_INT, message + Area.NAME_LENGTH, inet6 ? SOCKADDR_BYTES : SOCKADDR_IN_BYTES);
        MemorySegment source = MemorySegment.ofBuffer(bytes);
        long iovec = i * Area.IOVEC.byteSize();
        area.sendIovecs.set(JAVA_LONG, iovec, source.address());
        area.sendIovecs.set(JAVA_LONG, iovec + JAVA_LONG.byteSize(), source.byteSize());
        return true;
    }

    /** Sends the first {@code count} datagrams {@link #add added}; returns how many the kernel took, or -1 if the call failed. */
    int send(int count) {
        if (!channel.isOpen()) {
            return -1;
        }
        Area area = Area.get();
        return Libc.sendmmsg(area.errno, fd, area.sendMessages, count, Libc.MSG_DONTWAIT);
    }

    // ---------------------------------------------------------------- addresses and descriptors

    /**
     * The descriptor of the UDP socket bound to {@code local}, or -1: {@code hint} if it is that
     * socket (the kernel gives a new socket the lowest free descriptor, so it almost always is),
     * else the first found by {@code getsockname} on each descriptor from 0 up (about a microsecond
     * each; one that is not a socket fails at once).
     */
    private static int find(InetSocketAddress local, boolean inet6, int hint) {
        Area area = Area.get();
        int expected = encode(local, inet6, area.expected, 0) ? (inet6 ? SOCKADDR_BYTES : SOCKADDR_IN_BYTES) : -1;
        if (expected < 0) {
            return -1;
        }
        if (hint >= 0 && isBoundTo(hint, expected, area) == 1) {
            return hint;
        }
        for (int fd = 0, unused = 0; unused < MAX_UNUSED_DESCRIPTORS; fd++) {
            int bound = isBoundTo(fd, expected, area);
            if (bound == 1) {
                return fd;
            }
            unused = bound < 0 ? unused + 1 : 0;
        }
        return -1;
    }

    /** 1 if {@code fd} is a UDP socket bound to {@link Area#expected}, -1 if it is not open, else 0. */
    private static int isBoundTo(int fd, int expectedLength, Area area) {
        area.foundLength.set(JAVA_INT, 0, SOCKADDR_BYTES);
        if (Libc.getsockname(area.errno, fd, area.found, area.foundLength) < 0) {
            return area.errno.value() == Libc.EBADF ? -1 : 0;
        }
        return area.foundLength.get(JAVA_INT, 0) == expectedLength
                && MemorySegment.mismatch(area.found, 0, expectedLength, area.expected, 0, expectedLength) == -1
                && isUdp(fd) ? 1 : 0;
    }

    private static boolean isUdp(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            return Libc.getsockoptInt(new Libc.Errno(arena), fd, Libc.SOL_SOCKET, Libc.SO_PROTOCOL, arena)
                    == Libc.IPPROTO_UDP;
        }
    }

    /** The address of a {@code sockaddr_in} or {@code sockaddr_in6} (an IPv4-mapped one as IPv4, as the JDK gives it); null for another family. */
    private static InetSocketAddress decode(MemorySegment names, long offset) {
        int family = names.get(JAVA_SHORT, offset);
        int port = Short.toUnsignedInt(names.get(PORT, offset + 2));
        try {
            if (family == AF_INET) {
                return new InetSocketAddress(InetAddress.getByAddress(bytes(names, offset + 4, 4)), port);
            }
            if (family == AF_INET6) {
                byte[] address = bytes(names, offset + 8, 16);
                int scope = names.get(JAVA_INT, offset + 24);
                InetAddress host = scope == 0 ? InetAddress.getByAddress(address) : Inet6Address.getByAddress(null, address, scope);
                return new InetSocketAddress(host, port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // the lengths are right by construction
        }
        return null;
    }

    private static byte[] bytes(MemorySegment names, long offset, int length) {
        return names.asSlice(offset, length).toArray(JAVA_BYTE);
    }

    /** Writes {@code to} as a {@code sockaddr} of the family ({@code inet6} or not); false if IPv4 is given an IPv6 address. */
    private static boolean encode(InetSocketAddress to, boolean inet6, MemorySegment names, long offset) {
        InetAddress host = to.getAddress();
        names.asSlice(offset, SOCKADDR_BYTES).fill((byte) 0);
        names.set(PORT, offset + 2, (short) to.getPort());
        if (!inet6) {
            if (!(host instanceof Inet4Address)) {
                return false;
            }
            names.set(JAVA_SHORT, offset, (short) AF_INET);
            MemorySegment.copy(host.getAddress(), 0, names, JAVA_BYTE, offset + 4, 4);
            return true;
        }
        names.set(JAVA_SHORT, offset, (short) AF_INET6);
        if (host instanceof Inet4Address) { // as the JDK sends it from an IPv6 socket: IPv4-mapped
            names.set(JAVA_SHORT, offset + 18, (short) -1);
            MemorySegment.copy(host.getAddress(), 0, names, JAVA_BYTE, offset + 20, 4);
        } else {
            MemorySegment.copy(host.getAddress(), 0, names, JAVA_BYTE, offset + 8, 16);
            names.set(JAVA_INT, offset + 24, ((Inet6Address) host).getScopeId());
        }
        return true;
    }

    /** One thread's native areas: message headers, I/O vectors and addresses, for receiving and for sending. */
    private static final class Area {

        static final StructLayout IOVEC = MemoryLayout.structLayout(JAVA_LONG.withName("base"), JAVA_LONG.withName("length"));
        /** {@code struct mmsghdr}: a {@code struct msghdr} and {@code msg_len} (64-bit Linux). */
        static final StructLayout MMSGHDR = MemoryLayout.structLayout(
                JAVA_LONG.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
                JAVA_LONG.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
                JAVA_LONG.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
                JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4),
                JAVA_INT.withName("msg_len"), MemoryLayout.paddingLayout(4));
        static final long NAME = offset("msg_name");
        static final long NAME_LENGTH = offset("msg_namelen");
        static final long FLAGS = offset("msg_flags");
        static final long LENGTH = offset("msg_len");
        private static final ThreadLocal<Area> AREAS = ThreadLocal.withInitial(Area::new);

        final Arena arena = Arena.ofAuto();
        final Libc.Errno errno = new Libc.Errno(arena);
        final MemorySegment receiveMessages = arena.allocate(MMSGHDR, SIZE);
        final MemorySegment receiveIovecs = arena.allocate(IOVEC, SIZE);
        final MemorySegment receiveNames = arena.allocate((long) SOCKADDR_BYTES * SIZE, 8);
        final MemorySegment sendMessages = arena.allocate(MMSGHDR, SIZE);
        final MemorySegment sendIovecs = arena.allocate(IOVEC, SIZE);
        final MemorySegment sendNames = arena.allocate((long) SOCKADDR_BYTES * SIZE, 8);
        /** For finding a channel's descriptor: its address as expected, and as each descriptor gives it. */
        final MemorySegment expected = arena.allocate(SOCKADDR_BYTES, 8);
        final MemorySegment found = arena.allocate(SOCKADDR_BYTES, 8);
        final MemorySegment foundLength = arena.allocate(JAVA_INT);

        private Area() {
            for (int i = 0; i < SIZE; i++) {
                link(receiveMessages, receiveIovecs, i, receiveNames.address() + (long) i * SOCKADDR_BYTES);
                link(sendMessages, sendIovecs, i, 0);
            }
        }

        static Area get() {
            return AREAS.get();
        }

        /** Points message {@code i} at its one I/O vector and at {@code name}. */
        private static void link(MemorySegment messages, MemorySegment iovecs, int i, long name) {
            long message = i * MMSGHDR.byteSize();
            messages.set(JAVA_LONG, message + NAME, name);
            messages.set(JAVA_LONG, message + offset("msg_iov"), iovecs.address() + i * IOVEC.byteSize());
            messages.set(JAVA_LONG, message + offset("msg_iovlen"), 1);
        }

        private static long offset(String field) {
            return MMSGHDR.byteOffset(MemoryLayout.PathElement.groupElement(field));
        }
    }
}
