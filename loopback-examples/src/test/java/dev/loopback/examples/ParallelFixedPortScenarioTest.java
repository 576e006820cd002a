package dev.loopback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.loopback.Endpoint;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

@LoopbackTest
@DisplayName("Ports: eight tests serve HTTP on port 8080 at the same time")
class ParallelFixedPortScenarioTest {

    @RepeatedTest(8)
    @Execution(ExecutionMode.CONCURRENT)
    @DisplayName("each repetition binds 8080 on its own host and is served")
    void everyTestOwnsPort8080(@LoopbackAddress(value = "web", port = 8080) Endpoint web,
            RepetitionInfo repetition, TestReporter reporter) throws Exception {
        HttpServer server = HttpServer.create(web.socketAddress(), 0);
        String me = "repetition " + repetition.getCurrentRepetition();
        server.createContext("/", exchange -> {
            byte[] body = me.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(web.uri("http") + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(web.port()).isEqualTo(8080);
            assertThat(response.body()).isEqualTo(me);
            reporter.publishEntry("observed", me + " served on " + web.hostPort());
        } finally {
            server.stop(0);
        }
    }
}
