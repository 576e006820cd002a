package dev.loopback.internal.inspect;

import dev.loopback.Endpoint;
import dev.loopback.inspect.Connection;
import dev.loopback.inspect.Listener;
import dev.loopback.inspect.Listener.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Reads Linux's socket tables ({@code /proc/net/{tcp,tcp6,udp,udp6}}). */
public final class ProcNet {

    private static final Path PROC_NET = Path.of("/proc/net");
    private static final String TCP_LISTEN = "0A";
    private static final String TCP_ESTABLISHED = "01";
    private static final boolean AVAILABLE = Files.isReadable(PROC_NET.resolve("tcp"));
    private static final ExecutorService V6_READER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "loopback-proc-net");
        thread.setDaemon(true);
        return thread;
    });

    private ProcNet() {}

    /** Returns true if the socket tables exist on this platform. */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * Returns all TCP listeners and bound UDP sockets, IPv4 and IPv6. Opening a TCP table costs the
     * kernel a walk of its listening hash (about half a millisecond on a machine with a large hash,
     * whatever the number of sockets), so the IPv6 tables are read on a helper thread while the
     * caller reads the IPv4 ones.
     */
    public static List<Listener> listeners() {
        Future<List<Listener>> ipv6 = V6_READER.submit(() -> {
            List<Listener> found = new ArrayList<>();
            read("tcp6", Protocol.TCP, found);
            read("udp6", Protocol.UDP, found);
            return found;
        });
        List<Listener> result = new ArrayList<>();
        read("tcp", Protocol.TCP, result);
        read("udp", Protocol.UDP, result);
        try {
            result.addAll(ipv6.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading /proc/net/tcp6", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return distinct(result);
    }

    /**
     * The rows once each. The kernel prints a table a page at a time, walking its hash afresh for
     * each page, so a socket that moves in the hash meanwhile can be listed twice (seen: one
     * connection twice in one read of {@code /proc/net/tcp}).
     */
    private static <T> List<T> distinct(List<T> rows) {
        return new ArrayList<>(new LinkedHashSet<>(rows));
    }

    /**
     * Returns every established TCP connection, IPv4 and IPv6. Unlike {@link #listeners()} this
     * reads the whole tables, TIME_WAIT rows included, so it costs in proportion to the sockets
     * on the machine: meant for assertions, not for the lease path.
     */
    public static List<Connection> established() {
        List<Connection> result = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            try (BufferedReader reader = Files.newBufferedReader(PROC_NET.resolve(table), StandardCharsets.US_ASCII)) {
                reader.readLine(); // header
                for (String row = reader.readLine(); row != null; row = reader.readLine()) {
                    Connection connection = parseConnection(row);
                    if (connection != null) {
                        result.add(connection);
                    }
                }
            } catch (NoSuchFileException ipv6Disabled) {
                // no such table: no connection there
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read /proc/net/" + table, e);
            }
        }
        return distinct(result);
    }

    /** Parses one TCP table row; returns null unless the socket is ESTABLISHED. */
    static Connection parseConnection(String row) {
        String[] f = row.trim().split("\\s+", -1);
        if (f.length < 10 || !f[3].equals(TCP_ESTABLISHED)) {
            return null;
        }
        return new Connection(endpoint(f[1]), endpoint(f[2]), Long.parseLong(f[9]), Long.parseLong(f[7]));
    }

    private static Endpoint endpoint(String hexAddressAndPort) {
        int colon = hexAddressAndPort.indexOf(':');
        return new Endpoint(address(hexAddressAndPort.substring(0, colon)),
                Integer.parseInt(hexAddressAndPort.substring(colon + 1), 16));
    }

    /**
     * Reads one table. The kernel lists a TCP table's listening hash before its established hash
     * ({@code tcp_seq_start}: listening sockets first, then every other state), so reading stops at
     * the first row not in LISTEN: the thousands of TIME_WAIT rows a busy test run leaves are
     * neither generated nor parsed.
     */
    private static void read(String table, Protocol protocol, List<Listener> into) {
        try (BufferedReader reader = Files.newBufferedReader(PROC_NET.resolve(table), StandardCharsets.US_ASCII)) {
            reader.readLine(); // header
            for (String row = reader.readLine(); row != null; row = reader.readLine()) {
                if (protocol == Protocol.TCP && !isListenRow(row)) {
                    return;
                }
                Listener listener = parse(row, protocol);
                if (listener != null) {
                    into.add(listener);
                }
            }
        } catch (NoSuchFileException ipv6Disabled) {
            // no such table: nothing listens there
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/net/" + table, e);
        }
    }

    /** Returns true if the row's state column (the fourth) is LISTEN, without splitting the row. */
    static boolean isListenRow(String row) {
        int column = 0;
        int i = 0;
        int n = row.length();
        while (i < n) {
            while (i < n && row.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && row.charAt(i) != ' ') {
                i++;
            }
            if (column++ == 3) {
                return row.startsWith(TCP_LISTEN, start) && i - start == TCP_LISTEN.length();
            }
        }
        return false;
    }

    /**
     * Parses one table row; returns null for rows that do not occupy a port as a listener (TCP
     * sockets not in LISTEN, UDP sockets on port 0).
     */
    static Listener parse(String row, Protocol protocol) {
        String[] f = row.trim().split("\\s+", -1);
        if (f.length < 10) {
            return null;
        }
        String state = f[3];
        if (protocol == Protocol.TCP && !state.equals(TCP_LISTEN)) {
            return null;
        }
        int colon = f[1].indexOf(':');
        int port = Integer.parseInt(f[1].substring(colon + 1), 16);
        if (port == 0) {
            return null;
        }
        return new Listener(protocol, address(f[1].substring(0, colon)), port, Long.parseLong(f[9]),
                Long.parseLong(f[7]));
    }

    /**
     * Decodes the kernel's hex address: each 32-bit word is printed in host (little-endian) order.
     * IPv4-mapped IPv6 addresses come back as IPv4, which {@link InetAddress#getByAddress} does.
     */
    static InetAddress address(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = (word * 4 + (3 - b)) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("bad address in socket table: " + hex, impossible);
        }
    }

    /**
     * Finds the process holding the socket with {@code inode}, scanning {@code /proc/<pid>/fd}:
     * {@code pid 4711 (java, user nobody)}. Another user's process is found only by root.
     */
    public static Optional<String> owner(long inode) {
        if (!AVAILABLE || inode == 0) {
            return Optional.empty();
        }
        String target = "socket:[" + inode + "]";
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(Path.of("/proc"), p -> isNumeric(p))) {
            for (Path pid : pids) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (target.equals(readLink(fd))) {
                            return Optional.of("pid " + pid.getFileName() + " (" + command(pid) + ", user " + user(pid) + ")");
                        }
                    }
                } catch (IOException | SecurityException notOurs) {
                    // another user's process, or one that just exited
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isNumeric(Path p) {
        String name = p.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static String user(Path pid) {
        try {
            return Files.getOwner(pid).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    private static String command(Path pid) {
        try {
            return Files.readString(pid.resolve("comm")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
