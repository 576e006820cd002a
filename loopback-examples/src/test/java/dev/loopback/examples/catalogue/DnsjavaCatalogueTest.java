package dev.loopback.examples.catalogue;

import dev.loopback.LoopbackSpace;
import dev.loopback.UdpLink;
import dev.loopback.examples.catalogue.Measurement.Case;
import dev.loopback.examples.catalogue.Measurement.Subject;
import dev.loopback.examples.support.DnsServer;
import dev.loopback.junit.LoopbackSeed;
import dev.loopback.junit.LoopbackTest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

@LoopbackTest
@LoopbackSeed(14)
@DisplayName("Catalogue: dnsjava Lookup over UDP, 200 ms per try, 3 retries within 1 s")
class DnsjavaCatalogueTest extends CatalogueRow {

    static {
        // dnsjava checks query timeouts every 10 ms instead of every second, so 200 ms tries last 200 ms
        // (see DnsjavaScenarioTest)
        System.setProperty("dnsjava.nio.selector_timeout", "10");
    }

    static LoopbackSpace space;
    static DnsServer server;
    static final AtomicInteger LINKS = new AtomicInteger();

    @BeforeAll
    static void start(LoopbackSpace classSpace) throws Exception {
        space = classSpace;
        server = DnsServer.start(space.endpoint("dns"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Override
    String client() {
        return label("DNS: dnsjava", Lookup.class);
    }

    @Override
    List<Case> cases() {
        return Measurement.UDP;
    }

    @Override
    Subject open() throws IOException {
        UdpLink link = space.udpLink("dns-" + LINKS.incrementAndGet(), server.endpoint());
        SimpleResolver simple = new SimpleResolver(link.endpoint().socketAddress());
        simple.setTimeout(Duration.ofMillis(200));
        ExtendedResolver resolver = new ExtendedResolver(new Resolver[] {simple});
        resolver.setRetries(3);
        resolver.setTimeout(Duration.ofSeconds(1));
        return Subject.of(link, () -> {
            Lookup lookup = new Lookup("api.example.test.", Type.A);
            lookup.setResolver(resolver);
            lookup.setCache(null);
            Record[] answers = lookup.run();
            if (lookup.getResult() != Lookup.SUCCESSFUL) {
                throw new IOException("Lookup result " + lookup.getResult() + ": " + lookup.getErrorString());
            }
            return answers[0].rdataToString();
        }, () -> { });
    }
}
