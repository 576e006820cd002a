package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.FaultKind;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackAssertions;
import dev.loopback.junit.LoopbackTest;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;

/** The README's first test, as a user writes it. */
@LoopbackTest
class CheckoutTest {
    @Test
    void retriesWhenThePaymentServiceResets(@LoopbackAddress("payments") ServerSocketChannel payments,
                                            LoopbackSpace space) throws Exception {
        try (var server = PaymentServer.start(payments)) {
            TcpLink link = space.link("payments", Endpoint.of((InetSocketAddress) payments.getLocalAddress()));
            link.inject(Fault.reset().onConnection(1));
            assertThat(new CheckoutClient(link.endpoint()).pay(42)).isEqualTo("paid");
            LoopbackAssertions.assertThat(link).hasInjected(FaultKind.RESET, 1);
        }
    }
}
