package dev.loopback.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The control commands over HTTP, for scripts and tests in other languages: {@code POST /} with
 * one command as the body ({@code curl -d partition http://127.0.0.1:8474/}) answers the same
 * text as standard input would, {@code 200} or {@code 400} for a refused command.
 */
final class HttpControl {

    private final HttpServer server;

    private HttpControl(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving {@code control} on {@code address}; {@code quit} runs on the {@code quit} command.
     *
     * @throws CliException with {@link ExitCode#ADDRESS_IN_USE} if the address is taken
     */
    static HttpControl start(Address address, Control<?> control, Runnable quit) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address.address(), address.port()), 0);
        } catch (BindException e) {
            throw new CliException(ExitCode.ADDRESS_IN_USE, "--control " + address.text() + ": address in use"
                    + " (another process listens there; pick another port or 0)", e);
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "--control " + address.text() + ": " + e.getMessage(), e);
        }
        server.createContext("/", exchange -> handle(exchange, control, quit));
        server.start();
        return new HttpControl(server);
    }

    private static void handle(HttpExchange exchange, Control<?> control, Runnable quit) throws IOException {
        try (exchange) {
            Control.Reply reply;
            if (!exchange.getRequestMethod().equals("POST")) {
                reply = Control.Reply.error("POST one command as the body, as in: curl -d stats http://"
                        + exchange.getLocalAddress().getHostString() + ":" + exchange.getLocalAddress().getPort() + "/");
            } else {
                reply = control.execute(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] body = (reply.text() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(reply.ok() ? 200 : 400, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            if (reply.quit()) {
                quit.run();
            }
        }
    }

    /** Returns {@code host:port} the endpoint listens on. */
    String address() {
        InetSocketAddress a = server.getAddress();
        return new dev.loopback.Endpoint(a.getAddress(), a.getPort()).hostPort();
    }

    void stop() {
        server.stop(0);
    }
}
