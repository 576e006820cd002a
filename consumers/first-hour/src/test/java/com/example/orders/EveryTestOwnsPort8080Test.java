package com.example.orders;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.loopback.Endpoint;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackAwait;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/** No @LoopbackTest: @LoopbackAddress is enough. Every repetition serves port 8080 at the same time. */
class EveryTestOwnsPort8080Test {

    @RepeatedTest(8)
    void servesOnPort8080OfItsOwnHost(@LoopbackAddress(value = "web", port = 8080) Endpoint web,
            RepetitionInfo repetition) throws Exception {
        String me = "repetition " + repetition.getCurrentRepetition();
        HttpServer server = HttpServer.create(web.socketAddress(), 0);
        server.createContext("/", exchange -> {
            byte[] body = me.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            LoopbackAwait.untilListening(web);
            assertThat(web).isListening().isBoundOnlyToItsAddress();
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(web.uri("http").resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo(me);
        } finally {
            server.stop(0);
        }
    }
}
