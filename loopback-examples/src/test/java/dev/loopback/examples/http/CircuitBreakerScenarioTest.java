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
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@LoopbackTest
@DisplayName("HTTP: a Resilience4j circuit breaker around OkHttp opens under refuse() and closes after")
class CircuitBreakerScenarioTest {

    @Test
    @DisplayName("4 refused calls open the breaker, the 5th fails fast; removed, a half-open trial closes it")
    void breakerOpensUnderRefuseAndClosesAfter(@LoopbackAddress("quotes") Endpoint quotes, LoopbackSpace space,
            TestReporter reporter) throws Exception {
        try (JettyServer server = JettyServer.start(quotes)) {
            TcpLink link = space.link("quotes", quotes);
            OkHttpClient http = new OkHttpClient();
            Request request = new Request.Builder().url(link.endpoint().uri("http") + "/quote").build();
            CircuitBreaker breaker = CircuitBreaker.of("quotes", CircuitBreakerConfig.custom()
                    .slidingWindowSize(4)
                    .minimumNumberOfCalls(4)
                    .failureRateThreshold(50)
                    .waitDurationInOpenState(Duration.ofMillis(500))
                    .permittedNumberOfCallsInHalfOpenState(2)
                    .build());
            java.util.concurrent.Callable<String> quote = CircuitBreaker.decorateCallable(breaker, () -> {
                try (Response response = http.newCall(request).execute()) {
                    return response.body().string();
                }
            });

            List<String> failures = new ArrayList<>();
            try (FaultHandle refused = link.inject(Fault.refuse())) {
                for (int i = 0; i < 4; i++) {
                    assertThatThrownBy(quote::call).isInstanceOf(ConnectException.class)
                            .satisfies(e -> failures.add(e.getMessage()));
                }
                assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
                assertThatThrownBy(quote::call).isInstanceOf(CallNotPermittedException.class);
            }
            assertThat(server.requests()).isZero();

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> quote.call().equals("42") && breaker.getState() == CircuitBreaker.State.CLOSED);
            reporter.publishEntry("observed", "refused: 4 x ConnectException (" + failures.get(0)
                    + "), breaker OPEN, 5th call CallNotPermittedException without a connection; removed:"
                    + " HALF_OPEN after 500 ms, 2 trial calls answered 42, CLOSED");
        }
    }
}
