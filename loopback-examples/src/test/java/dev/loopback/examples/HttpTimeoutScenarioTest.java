package dev.loopback.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@LoopbackTest
@DisplayName("HTTP: a client's request timeout fires behind a slow link, and it recovers")
class HttpTimeoutScenarioTest {

    @LoopbackAddress("api")
    Endpoint api;

    HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(api.socketAddress(), 0);
        server.createContext("/ping", exchange -> {
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    @DisplayName("1 s of latency trips a 250 ms request timeout; once it is removed the request succeeds")
    void requestTimesOutBehindLatencyAndSucceedsOnceRemoved(LoopbackSpace space, TestReporter reporter)
            throws Exception {
        TcpLink link = space.link("api-link", api);
        HttpClient client = HttpClient.newHttpClient();
        URI ping = URI.create(link.endpoint().uri("http") + "/ping");

        try (FaultHandle slow = link.inject(Fault.latency(Duration.ofSeconds(1)))) {
            HttpRequest impatient = HttpRequest.newBuilder(ping).timeout(Duration.ofMillis(250)).build();
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.send(impatient, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
            reporter.publishEntry("observed", "HttpTimeoutException after "
                    + (System.nanoTime() - start) / 1_000_000 + " ms (timeout 250 ms, link latency 1 s each way)");
        }

        HttpRequest patient = HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(10)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(patient, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("pong");
        reporter.publishEntry("observed", "200 " + response.body() + " in "
                + (System.nanoTime() - start) / 1_000_000 + " ms once the latency was removed");
    }
}
