package dev.loopback.internal.udp;

/**
 * Batched datagram I/O ({@code recvmmsg}/{@code sendmmsg}) on a link's socket — the Java 17 variant,
 * in the root of the multi-release jar: there is none, and links use their {@code DatagramChannel}
 * one datagram per call. The JDK 22 variant ({@code META-INF/versions/22}) has it when native
 * access is enabled.
 */
final class BatchIo {

    private BatchIo() {}

    static String description() {
        return "DatagramChannel, one datagram per system call";
    }
}
