package dev.loopback.examples.support;

import dev.loopback.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A blocking client of {@link LineServer}: one connection, one line out, one line back. */
public final class LineClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;

    private LineClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Connects to {@code endpoint}; reads give up after {@code readTimeout}. */
    public static LineClient connect(Endpoint endpoint, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(endpoint.socketAddress(), 2_000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            return new LineClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code line} and returns the server's answer. */
    public String ask(String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        String answer = in.readLine();
        if (answer == null) {
            throw new IOException("server closed the connection");
        }
        return answer;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
