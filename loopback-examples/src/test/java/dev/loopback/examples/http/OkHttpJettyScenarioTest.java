package dev.loopback.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.examples.support.JettyServer;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackTest;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@LoopbackTest
@DisplayName("HTTP: OkHttp against Jetty, timeouts and its retry on a reset connection")
class OkHttpJettyScenarioTest {

    @LoopbackAddress("quotes")
    Endpoint quotes;

    JettyServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = JettyServer.start(quotes);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    static String get(OkHttpClient client, TcpLink link) throws IOException {
        Request request = new Request.Builder().url(link.endpoint().uri("http") + "/quote").build();
        try (Response response = client.newCall(request).execute()) {
            return response.code() + " " + response.body().string();
        }
    }

    @Test
    @DisplayName("1 s of latency trips a 300 ms readTimeout with SocketTimeoutException; removed, 200")
    void readTimeoutFiresBehindLatency(LoopbackSpace space, TestReporter reporter) throws Exception {
        TcpLink link = space.link("quotes", quotes);
        OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build();

        try (FaultHandle slow = link.inject(Fault.latency(Duration.ofSeconds(1)))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> get(client, link))
                    .isInstanceOf(SocketTimeoutException.class); // "timeout" (Okio) or "Read timed out" (the socket)
            reporter.publishEntry("observed", "SocketTimeoutException after "
                    + (System.nanoTime() - start) / 1_000_000 + " ms (readTimeout 300 ms, latency 1 s each way)");
        }
        assertThat(get(client, link)).isEqualTo("200 42");
        reporter.publishEntry("observed", "200 42 once the latency was removed");
    }

    @Test
    @DisplayName("the pooled keep-alive connection is reset between requests: OkHttp retries the GET, the caller sees 200")
    void resetPooledConnectionIsRetriedTransparently(LoopbackSpace space, TestReporter reporter) throws Exception {
        TcpLink link = space.link("quotes", quotes);
        OkHttpClient client = new OkHttpClient(); // retryOnConnectionFailure is on by default
        assertThat(get(client, link)).isEqualTo("200 42");
        assertThat(client.connectionPool().idleConnectionCount()).isEqualTo(1);

        try (FaultHandle reset = link.inject(Fault.reset())) { // acts at once on the idle pooled connection
            await().atMost(Duration.ofSeconds(5)).until(() -> link.stats().resets() == 1);
        }
        assertThat(get(client, link)).isEqualTo("200 42");
        assertThat(link.stats().accepted()).isEqualTo(2);
        assertThat(server.requests()).isEqualTo(2);
        reporter.publishEntry("observed", "200 42: OkHttp found its pooled connection reset and retried on a new one"
                + " (link accepted 2 connections, server answered 2 requests)");
    }
}
