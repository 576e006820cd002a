package dev.loopback.examples.spring;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackTest;
import java.net.InetAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

@LoopbackTest // first: its after-all leak check runs after Spring has stopped the app
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT) // server.port: 8080, the default
@DirtiesContext // stop the app when the class ends, before its address is given back
@RequiresJUnit6
@DisplayName("Spring Boot: the inventory API on port 8080, on an address of its own")
class InventoryApiOn8080Test {

    @LoopbackAddress("inventory-app")
    static InetAddress address;

    @DynamicPropertySource
    static void serveOnTheLeasedAddress(DynamicPropertyRegistry registry) {
        registry.add("server.address", address::getHostAddress);
    }

    @Test
    @DisplayName("GET /inventory is served on 8080 of this class's own address while the other classes use 8080 too")
    void servesOnPort8080OfItsOwnAddress(TestReporter reporter) {
        Endpoint app = new Endpoint(address, 8080);
        String body = RestClient.create(app.uri("http").toString()).get().uri("/inventory").retrieve().body(String.class);

        assertThat(body).isEqualTo("inventory served by " + app.hostPort());
        assertThat(app).isBoundOnlyToItsAddress();
        reporter.publishEntry("observed", body);
    }
}
