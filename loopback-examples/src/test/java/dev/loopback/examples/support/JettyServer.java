package dev.loopback.examples.support;

import dev.loopback.Endpoint;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** A Jetty 12 server answering every request with {@code 200 42}, bound to one endpoint only. */
public final class JettyServer implements AutoCloseable {

    private final Server server = new Server();
    private final Endpoint endpoint;
    private final AtomicInteger requests = new AtomicInteger();

    private JettyServer(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Starts the server on {@code endpoint} (its address, not the wildcard). */
    public static JettyServer start(Endpoint endpoint) throws Exception {
        JettyServer jetty = new JettyServer(endpoint);
        ServerConnector connector = new ServerConnector(jetty.server);
        connector.setHost(endpoint.address().getHostAddress());
        connector.setPort(endpoint.port());
        jetty.server.addConnector(connector);
        jetty.server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                jetty.requests.incrementAndGet();
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                Content.Sink.write(response, true, "42", callback);
                return true;
            }
        });
        jetty.server.start();
        return jetty;
    }

    /** Returns where the server listens. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** Returns how many requests the server has answered. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
