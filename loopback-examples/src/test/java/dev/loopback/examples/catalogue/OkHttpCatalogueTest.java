package dev.loopback.examples.catalogue;

import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.examples.catalogue.Measurement.Case;
import dev.loopback.examples.catalogue.Measurement.Subject;
import dev.loopback.examples.support.JettyServer;
import dev.loopback.junit.LoopbackSeed;
import dev.loopback.junit.LoopbackTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@LoopbackTest
@LoopbackSeed(14)
@DisplayName("Catalogue: OkHttp (connect, read and write timeouts 1 s) against Jetty, GET")
class OkHttpCatalogueTest extends CatalogueRow {

    static LoopbackSpace space;
    static JettyServer server;
    static final AtomicInteger LINKS = new AtomicInteger();

    @BeforeAll
    static void start(LoopbackSpace classSpace) throws Exception {
        space = classSpace;
        server = JettyServer.start(space.endpoint("jetty"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Override
    String client() {
        return label("HTTP: OkHttp + Jetty", OkHttpClient.class, org.eclipse.jetty.server.Server.class);
    }

    @Override
    List<Case> cases() {
        return Measurement.TCP;
    }

    @Override
    Subject open() {
        TcpLink link = space.link("http-" + LINKS.incrementAndGet(), server.endpoint());
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(1)).writeTimeout(Duration.ofSeconds(1)).build();
        Request request = new Request.Builder().url(link.endpoint().uri("http") + "/quote").build();
        return Subject.of(link, () -> {
            try (Response response = http.newCall(request).execute()) {
                return response.code() + " " + response.body().string();
            }
        }, () -> {
            http.dispatcher().executorService().shutdownNow();
            http.connectionPool().evictAll();
        });
    }
}
