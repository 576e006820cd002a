package dev.loopback.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library's socket calls that netlink and UDP batching need, through the FFM API. Linking is a restricted
 * operation: this class must only be initialized when {@link NativeAccess#enabled()}; its
 * initializer fails otherwise, before any restricted call. Every call takes an {@link Errno} to
 * capture {@code errno} into; a failed call throws an {@link IOException} naming the call and the
 * error ({@link #close} ignores failures), except the calls of the UDP hot path and of the socket
 * search ({@link #getsockname}, {@link #getsockoptInt}, {@link #recvmmsg}, {@link #sendmmsg}),
 * which return -1 and leave the error in the {@link Errno}, as C does.
 */
public final class Libc {

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_PROTOCOL = 38;
    public static final int IPPROTO_UDP = 17;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = link("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SEND = link("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = link("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = link("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = link("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKOPT = link("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVMMSG = link("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDMMSG = link("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {}

    private static MethodHandle link(String name, FunctionDescriptor descriptor) {
        if (!NativeAccess.enabled()) { // checked before the first restricted call, so no JDK warning
            throw new IllegalStateException("Libc used without native access");
        }
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** Where calls leave {@code errno}; used by one thread at a time. */
    public static final class Errno {
        private final MemorySegment state;

        public Errno(Arena arena) {
            this.state = arena.allocate(CAPTURE);
        }

        /** The {@code errno} of the last failed call made with this. */
        public int value() {
            return (int) ERRNO.get(state, 0L);
        }
    }

    public static int socket(Errno errno, int domain, int type, int protocol) throws IOException {
        try {
            return (int) check("socket", errno, (int) SOCKET.invokeExact(errno.state, domain, type, protocol));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void close(Errno errno, int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(errno.state, fd);
        } catch (Throwable t) {
            // nothing to do: the descriptor is going away either way
        }
    }

    public static void send(Errno errno, int fd, MemorySegment data, long length) throws IOException {
        try {
            check("send", errno, (long) SEND.invokeExact(errno.state, fd, data, length, 0));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static long recv(Errno errno, int fd, MemorySegment into) throws IOException {
        try {
            return check("recv", errno, (long) RECV.invokeExact(errno.state, fd, into, into.byteSize(), 0));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void setsockopt(Errno errno, int fd, int level, int option, MemorySegment value) throws IOException {
        try {
            check("setsockopt", errno, (int) SETSOCKOPT.invokeExact(errno.state, fd, level, option, value,
                    (int) value.byteSize()));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code getsockname}: writes the socket's address into {@code address} (its size in
     * {@code length}, updated); returns -1 (errno set, no exception) if {@code fd} is no socket.
     */
    public static int getsockname(Errno errno, int fd, MemorySegment address, MemorySegment length) {
        try {
            return (int) GETSOCKNAME.invokeExact(errno.state, fd, address, length);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code getsockopt} for an {@code int} option: its value, or -1 (errno set) if the call failed. */
    public static int getsockoptInt(Errno errno, int fd, int level, int option, Arena arena) {
        MemorySegment value = arena.allocate(JAVA_INT);
        MemorySegment length = arena.allocate(JAVA_INT);
        length.set(JAVA_INT, 0, (int) JAVA_INT.byteSize());
        try {
            int result = (int) GETSOCKOPT.invokeExact(errno.state, fd, level, option, value, length);
            return result < 0 ? -1 : value.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code recvmmsg} without a timeout: datagrams received, or -1 with {@link Errno#value()} set. */
    public static int recvmmsg(Errno errno, int fd, MemorySegment messages, int count, int flags) {
        try {
            return (int) RECVMMSG.invokeExact(errno.state, fd, messages, count, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code sendmmsg}: datagrams sent, or -1 with {@link Errno#value()} set. */
    public static int sendmmsg(Errno errno, int fd, MemorySegment messages, int count, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(errno.state, fd, messages, count, flags);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Returns the C library's text for {@code errno}, as {@code strerror} writes it. */
    public static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static long check(String call, Errno errno, long result) throws IOException {
        if (result < 0) {
            int code = errno.value();
            throw new IOException(call + " failed: " + describe(code) + " (errno " + code + ")");
        }
        return result;
    }
}
