package dev.loopback.testing.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The program a {@link SquatterProcess} runs in another process (JDK only, so it needs nothing but
 * its own class on the class path): binds {@code host:port} the way an ordinary program does and
 * prints one line, {@code BOUND <its pid>} or {@code FAILED <exception>}; then holds what it bound until its
 * standard input closes.
 *
 * <p>Modes: {@code listen} — a {@code ServerSocket} (Java's default {@code SO_REUSEADDR}) that
 * answers every client with {@link #GREETING}; {@code bind} — a client socket bound without
 * listening, as a squatter on a lease's sentinel port would be.
 */
public final class Squatter {

    /** What a listening squatter sends to each client, so a test can tell it from the real server. */
    public static final String GREETING = "impostor\n";

    private Squatter() {}

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
        java.io.Closeable held;
        try {
            if (mode.equals("listen")) {
                ServerSocket server = new ServerSocket();
                held = server;
                server.bind(address);
                Thread acceptor = new Thread(() -> serve(server), "squatter-accept");
                acceptor.setDaemon(true);
                acceptor.start();
            } else {
                Socket socket = new Socket();
                held = socket;
                socket.bind(address);
            }
        } catch (IOException e) {
            System.out.println("FAILED " + e);
            return;
        }
        System.out.println("BOUND " + ProcessHandle.current().pid());
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // hold until the test closes our standard input (or kills us)
        }
        held.close();
    }

    private static void serve(ServerSocket server) {
        while (true) {
            try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                out.write(GREETING.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closed) {
                return;
            }
        }
    }
}
