package dev.loopback.examples.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.examples.support.GrpcQuoteServer;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackTest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@LoopbackTest
@DisplayName("gRPC: grpc-java over Netty under latency, a reset and a partition")
class GrpcNettyScenarioTest {

    @LoopbackAddress("quotes")
    Endpoint quotes;

    GrpcQuoteServer server;
    ManagedChannel channel;

    @BeforeEach
    void startServer() throws Exception {
        server = GrpcQuoteServer.start(quotes);
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.close();
    }

    static String quote(ManagedChannel channel, String symbol, Duration deadline) {
        return ClientCalls.blockingUnaryCall(channel, GrpcQuoteServer.GET,
                CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS),
                StringValue.of(symbol)).getValue();
    }

    /** The retry policy of the service config, as it would be in the application's configuration. */
    static Map<String, ?> retryOnUnavailable() {
        return Map.of("methodConfig", List.of(Map.of(
                "name", List.of(Map.of("service", "quotes.Quotes")),
                "retryPolicy", Map.of(
                        "maxAttempts", 4.0,
                        "initialBackoff", "0.1s",
                        "maxBackoff", "1s",
                        "backoffMultiplier", 2.0,
                        "retryableStatusCodes", List.of("UNAVAILABLE")))));
    }

    @Test
    @DisplayName("1 s of latency: a 300 ms deadline ends the call with DEADLINE_EXCEEDED; removed, it is answered")
    void deadlineExceededBehindLatency(LoopbackSpace space, TestReporter reporter) {
        TcpLink link = space.link("quotes", quotes);
        channel = NettyChannelBuilder.forAddress(link.endpoint().socketAddress()).usePlaintext().build();
        assertThat(quote(channel, "ACME", Duration.ofSeconds(10))).startsWith("quote for ACME");

        try (FaultHandle slow = link.inject(Fault.latency(Duration.ofSeconds(1)))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> quote(channel, "ACME", Duration.ofMillis(300)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            reporter.publishEntry("observed", "DEADLINE_EXCEEDED after " + (System.nanoTime() - start) / 1_000_000
                    + " ms (deadline 300 ms, latency 1 s each way)");
        }
        assertThat(quote(channel, "ACME", Duration.ofSeconds(10))).startsWith("quote for ACME");
    }

    @Test
    @DisplayName("the connection is reset while a call is in flight: the retry policy turns UNAVAILABLE into an answer")
    void retryPolicyRecoversFromAResetMidCall(LoopbackSpace space, TestReporter reporter) {
        TcpLink link = space.link("quotes", quotes);
        link.inject(Fault.reset().onConnection(1).after(Duration.ofSeconds(1)));
        channel = NettyChannelBuilder.forAddress(link.endpoint().socketAddress()).usePlaintext()
                .defaultServiceConfig(retryOnUnavailable()).enableRetry().build();

        String answer = quote(channel, "hold-first-attempt", Duration.ofSeconds(20));

        assertThat(answer).startsWith("quote for hold-first-attempt (previous attempts: ").doesNotEndWith(": 0)");
        assertThat(link.stats().resets()).isEqualTo(1);
        reporter.publishEntry("observed", "attempt 1 reset after 1 s (UNAVAILABLE), retried by the policy: \""
                + answer + "\"");
    }

    @Test
    @DisplayName("partition(): keepalive (10 s, timeout 1 s) fails the open call with UNAVAILABLE; after heal() a new call works")
    void keepaliveNoticesAPartition(LoopbackSpace space, TestReporter reporter) throws Exception {
        TcpLink link = space.link("quotes", quotes);
        channel = NettyChannelBuilder.forAddress(link.endpoint().socketAddress()).usePlaintext()
                .keepAliveTime(10, TimeUnit.SECONDS) // grpc-java's minimum
                .keepAliveTimeout(1, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .build();
        assertThat(quote(channel, "ACME", Duration.ofSeconds(10))).startsWith("quote for ACME");

        link.partition();
        long start = System.nanoTime();
        assertThatThrownBy(() -> quote(channel, "hold", Duration.ofSeconds(60)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).contains("Keepalive failed");
                });
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).isLessThan(30_000);

        link.heal();
        assertThat(quote(channel, "ACME", Duration.ofSeconds(10))).startsWith("quote for ACME");
        reporter.publishEntry("observed", "UNAVAILABLE \"Keepalive failed. The connection is likely gone\" after "
                + millis + " ms of partition (the 60 s deadline never came into play); healed: answered on a new connection");
    }
}
