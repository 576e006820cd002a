package com.example.orders;

import static org.assertj.core.api.Assertions.fail;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.junit.LoopbackAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fails on purpose, to show what a failing test reports; consumers/run runs it alone with
 * -Dconsumer.failure-report=true and reads Surefire's XML report.
 */
@EnabledIfSystemProperty(named = "consumer.failure-report", matches = "true")
class FailureReportDemoTest {

    @Test
    void checkoutFailsBehindAFlakyLink(@LoopbackAddress("payments") ServerSocketChannel payments, LoopbackSpace space)
            throws Exception {
        try (var server = PaymentServer.start(payments)) {
            TcpLink link = space.link("payments", Endpoint.of((InetSocketAddress) payments.getLocalAddress()));
            link.inject(Fault.reset().onConnection(1));
            link.inject(Fault.reset().onConnection(2));
            new CheckoutClient(link.endpoint()).pay(42);
        } catch (RuntimeException expected) {
            fail("checkout failed: " + expected.getMessage());
        }
    }
}
