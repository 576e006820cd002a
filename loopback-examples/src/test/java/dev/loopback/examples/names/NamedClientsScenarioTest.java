package dev.loopback.examples.names;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.loopback.Endpoint;
import dev.loopback.examples.support.GrpcQuoteServer;
import dev.loopback.examples.support.H2Server;
import dev.loopback.examples.support.JettyServer;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackTest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Real clients configured with a test's host name, as they would be with a name from the
 * application's configuration. Each resolves it its own way — H2's JDBC driver on the calling
 * thread, OkHttp through its {@code Dns.SYSTEM}, grpc-java's DNS name resolver on an executor of its
 * own — and all of them end up in the JDK's resolver, where the name exists only as the space's.
 */
@LoopbackTest
@EnabledForJreRange(min = JRE.JAVA_18, disabledReason = "host names resolve through"
        + " java.net.spi.InetAddressResolverProvider, which exists from JDK 18 on")
@DisplayName("Host names: a JDBC driver, OkHttp and grpc-java reach the test's hosts by name")
class NamedClientsScenarioTest {

    @Test
    @DisplayName("H2's JDBC driver connects to jdbc:h2:tcp://h2.<space>.loopback.test")
    void aJdbcUrlWithTheHostNameReachesTheDatabase(TestReporter reporter) throws Exception {
        try (H2Server database = H2Server.start()) {
            String url = "jdbc:h2:tcp://" + H2Server.hostName() + ":" + database.endpoint().port()
                    + "/mem:byName;DB_CLOSE_DELAY=-1";
            try (Connection connection = DriverManager.getConnection(url, "sa", "");
                    Statement statement = connection.createStatement();
                    ResultSet answer = statement.executeQuery("SELECT 42")) {
                assertThat(answer.next()).isTrue();
                assertThat(answer.getInt(1)).isEqualTo(42);
            }
            reporter.publishEntry("observed", "SELECT 42 answered through " + url);
        }
    }

    @Test
    @DisplayName("OkHttp gets 200 from Jetty at http://web.<space>.loopback.test")
    void okHttpResolvesTheHostNameToTheTestsJetty(@LoopbackAddress(value = "web", named = true) Endpoint web,
                                                  TestReporter reporter) throws Exception {
        try (JettyServer jetty = JettyServer.start(web)) {
            OkHttpClient client = new OkHttpClient();
            Request request = new Request.Builder().url(web.uri("http") + "/quote").build();
            try (Response response = client.newCall(request).execute()) {
                assertThat(response.code()).isEqualTo(200);
                assertThat(response.body().string()).isEqualTo("42");
                assertThat(response.request().url().host()).isEqualTo(web.hostName());
            } finally {
                client.connectionPool().evictAll();
                client.dispatcher().executorService().shutdown();
            }
            assertThat(jetty.requests()).isEqualTo(1);
            reporter.publishEntry("observed", "200 42 from " + web);
        }
    }

    @Test
    @DisplayName("grpc-java's DNS name resolver finds the test's server at quotes.<space>.loopback.test")
    void grpcResolvesTheHostNameToTheTestsServer(@LoopbackAddress(value = "quotes", named = true) Endpoint quotes,
                                                 TestReporter reporter) throws Exception {
        try (GrpcQuoteServer server = GrpcQuoteServer.start(quotes)) {
            String target = "dns:///" + quotes.hostName() + ":" + quotes.port();
            ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
            try {
                String answer = ClientCalls.blockingUnaryCall(channel, GrpcQuoteServer.GET,
                        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), StringValue.of("ACME")).getValue();
                assertThat(answer).isEqualTo("quote for ACME (previous attempts: 0)");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            reporter.publishEntry("observed", "'quote for ACME' through the channel to " + target);
        }
    }
}
