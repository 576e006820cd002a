package dev.loopback.examples.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.Fault;
import dev.loopback.LoopbackSpace;
import dev.loopback.UdpLink;
import dev.loopback.UdpStats;
import dev.loopback.examples.support.DnsServer;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackTest;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

@LoopbackTest
@DisplayName("DNS: dnsjava's resolver retries through Gilbert-Elliott burst loss")
class DnsjavaScenarioTest {

    static {
        // dnsjava's NIO selector checks query timeouts once a second by default, so a 100 ms try would
        // last up to a second and five tries would fill the 5 s budget. A 10 ms check (the property's
        // range is 1..1000 ms, read once, before the first query) makes the per-try timeout hold.
        System.setProperty("dnsjava.nio.selector_timeout", "10");
    }

    /** The application's resolver: 100 ms per try, up to 10 tries within 5 s, no cache. */
    static Resolver resolver(UdpLink link) {
        SimpleResolver server = new SimpleResolver(link.endpoint().socketAddress());
        server.setTimeout(Duration.ofMillis(100));
        ExtendedResolver resolver = new ExtendedResolver(new Resolver[] {server});
        resolver.setRetries(10);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver;
    }

    static String resolve(Resolver resolver, String name) throws Exception {
        Lookup lookup = new Lookup(name, Type.A);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        Record[] answers = lookup.run();
        if (lookup.getResult() != Lookup.SUCCESSFUL) {
            return lookup.getErrorString();
        }
        return ((ARecord) answers[0]).getAddress().getHostAddress();
    }

    @Test
    @DisplayName("Gilbert-Elliott loss both ways: 100 of 100 names resolve, each try from a new port (a new mapping)")
    void everyLookupResolvesThroughBurstLoss(@LoopbackAddress("dns") Endpoint dns, LoopbackSpace space,
            TestReporter reporter) throws Exception {
        try (DnsServer server = DnsServer.start(dns)) {
            UdpLink link = space.udpLink("dns", server.endpoint());
            // good→bad 5 %, bad→good 40 %, 90 % lost in the bad state, 10 % in the good one
            link.inject(Fault.gilbertElliott(0.05, 0.4, 0.9, 0.1));
            Resolver resolver = resolver(link);

            for (int i = 1; i <= 100; i++) {
                assertThat(resolve(resolver, "host-" + i + ".example.test.")).isEqualTo(DnsServer.ANSWER);
            }

            UdpStats stats = link.stats();
            assertThat(stats.dropped(UdpStats.DropCause.LOSS)).isPositive();
            assertThat(server.queries()).isGreaterThan(100);
            // dnsjava sends every try from a fresh random port (source-port randomisation; the kernel may repeat
            // one now and then), so a retry is a client mapping of its own and meets the loss chain in its good
            // state: bursts do not span the tries of one lookup
            long mappings = stats.clients() + stats.expired();
            assertThat(mappings).isGreaterThan(100).isLessThanOrEqualTo(stats.receivedFromClients());
            reporter.publishEntry("observed", "100 of 100 lookups answered " + DnsServer.ANSWER + "; the link lost "
                    + stats.dropped(UdpStats.DropCause.LOSS) + " datagrams, the server saw " + server.queries()
                    + " queries (" + (server.queries() - 100) + " retries reached it); the " + stats.receivedFromClients()
                    + " tries came from " + mappings + " different ports, so retries met the chain afresh");
        }
    }
}
