package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * {@code @LoopbackAddress(named = true)}: values that carry the space's host name (JDK 18+; these
 * tests see loopback-core as the reactor's packaged jar from {@code mvn verify} on), the JDK 17
 * error, the rules, and a String host.
 */
class NamedInjectionTest {

    private static final boolean JDK_18 = Runtime.version().feature() >= 18;

    @Test
    void namedValuesCarryTheSpacesHostNameAndReachTheHost() {
        assumeTrue(JDK_18, "host names need JDK 18+; this JVM is Java " + Runtime.version()
                + " (the JDK 17 error is checked by onJdk17ANamedDeclarationFailsTheClassNamingTheJdkItNeeds)");
        Kit.assertAllSucceeded(Kit.run(NamedEverywhere.class), 1);
    }

    @Test
    void onJdk17ANamedDeclarationFailsTheClassNamingTheJdkItNeeds() {
        assumeTrue(!JDK_18, "this JVM is Java " + Runtime.version() + ", where host names work"
                + " (checked by namedValuesCarryTheSpacesHostNameAndReachTheHost)");
        var results = Kit.run(NamedEverywhere.class);
        assertThat(results.testEvents().started().count()).isZero();
        assertThat(Kit.onlyContainerFailure(results))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@LoopbackAddress parameter 'uri' of NamedEverywhere.test(")
                .hasMessageContaining("sets named = true, but host names do not resolve in this JVM: host names need"
                        + " JDK 18 or newer")
                .hasMessageContaining("this JVM is Java " + Runtime.version());
    }

    @Test
    void sixtyFourConcurrentTestsNamingTheirHostDbEachResolveTheirOwn() {
        assumeTrue(JDK_18, "host names need JDK 18+; this JVM is Java " + Runtime.version());
        SixtyFour.NAMES.clear();
        Kit.assertAllSucceeded(Kit.run(SixtyFour.class,
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "64"), 64);
        assertThat(SixtyFour.NAMES).as("64 hosts, each with a name of its own").hasSize(64);
        assertThat(Set.copyOf(SixtyFour.NAMES.values())).hasSize(64).allMatch(name -> name.startsWith("db."));

        // Cleanup: the spaces are closed, so their names are gone. Forward lookups of them were cached by
        // the JDK for 30 s (see HostNamesIT), reverse lookups are not: a fresh InetAddress shows the table.
        SixtyFour.NAMES.forEach((address, name) -> assertThat(reverse(address)).as("reverse lookup of " + address
                + " after its space closed").isNotEqualTo(name));
    }

    private static String reverse(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress()).getHostName();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible); // four bytes are an IPv4 address
        }
    }

    @Test
    void aStringWithoutNamedIsTheLiteralAddress() {
        Kit.assertAllSucceeded(Kit.run(LiteralString.class), 1);
    }

    @Test
    void namedIsRejectedWhereItHasNoMeaningOnEveryJdk() {
        assertThat(classFailure(NamedPort.class))
                .hasMessageContaining("parameter 'port' of NamedPort.test(int)")
                .hasMessageContaining("sets named = true, which only a URI, String, Endpoint, InetSocketAddress or"
                        + " InetAddress can carry; its type is int");
        assertThat(classFailure(NamedListener.class))
                .hasMessageContaining("its type is ServerSocketChannel");
        assertThat(classFailure(NamedWithoutHost.class))
                .hasMessageContaining("sets named = true without a host name; a named host needs a name that is one"
                        + " DNS label, such as value = \"db\"");
        assertThat(classFailure(NamedDottedHost.class))
                .hasMessageContaining("sets named = true with host \"db.internal\"");
        assertThat(classFailure(StringWithPort.class))
                .hasMessageContaining("is a String (a host without a port), so port = 8080 has no meaning");
    }

    private static Throwable classFailure(Class<?> fixture) {
        var results = Kit.run(fixture);
        assertThat(results.testEvents().started().count()).as("no test of a rejected class runs").isZero();
        Throwable failure = Kit.onlyContainerFailure(results);
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        return failure;
    }

    static void assertConnects(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000); // resolves host through the JDK
        }
    }

    // ------------------------------------------------------------------ fixtures

    @Fixture
    @LoopbackTest
    static class NamedEverywhere {
        @Test
        void test(@LoopbackAddress(value = "web", named = true, scheme = "https") URI uri,
                  @LoopbackAddress(value = "web", named = true) String name,
                  @LoopbackAddress(value = "web", named = true) Endpoint endpoint,
                  @LoopbackAddress(value = "web", named = true) InetSocketAddress socketAddress,
                  @LoopbackAddress(value = "web", named = true) InetAddress address,
                  @LoopbackAddress("web") ServerSocketChannel server,
                  LoopbackSpace space) throws IOException {
            InetAddress host = space.host("web");
            int port = server.socket().getLocalPort();
            assertThat(name).isEqualTo(space.hostName("web")).matches("web\\.s[0-9a-z]+\\.loopback\\.test");
            assertThat(uri).isEqualTo(URI.create("https://" + name + ":" + port));
            assertThat(endpoint).isEqualTo(new Endpoint(host, port, name));
            assertThat(endpoint.toString()).isEqualTo(name + ":" + port + " (" + host.getHostAddress() + ":" + port + ")");
            assertThat(socketAddress.getHostString()).isEqualTo(name);
            assertThat(socketAddress.getAddress()).isEqualTo(host);
            assertThat(address.getHostName()).isEqualTo(name);
            assertThat(address).isEqualTo(host);
            assertThat(InetAddress.getByName(name)).isEqualTo(host);
            assertConnects(uri.getHost(), uri.getPort());
        }
    }

    @Fixture
    @LoopbackTest
    static class SixtyFour {
        /** Each test's host and the name it resolved to it. */
        static final Map<InetAddress, String> NAMES = new ConcurrentHashMap<>();
        private static final CyclicBarrier ALL_LIVE = new CyclicBarrier(64);

        @RepeatedTest(64)
        void eachResolvesItsOwnDb(@LoopbackAddress(value = "db", named = true) URI db,
                                  @LoopbackAddress("db") ServerSocketChannel server) throws Exception {
            ALL_LIVE.await(60, TimeUnit.SECONDS); // all 64 spaces are open at once from here
            InetAddress resolved = InetAddress.getByName(db.getHost());
            assertThat(resolved).isEqualTo(server.socket().getInetAddress());
            assertConnects(db.getHost(), db.getPort());
            assertThat(reverse(resolved)).isEqualTo(db.getHost());
            NAMES.put(resolved, db.getHost());
        }
    }

    @Fixture
    @LoopbackTest
    static class LiteralString {
        @Test
        void test(@LoopbackAddress("db") String host, @LoopbackAddress("db") InetAddress address) {
            assertThat(host).isEqualTo(address.getHostAddress()).startsWith("127.");
        }
    }

    @Fixture
    @LoopbackTest
    static class NamedPort {
        @Test
        void test(@LoopbackAddress(value = "db", named = true) int port) {}
    }

    @Fixture
    @LoopbackTest
    static class NamedListener {
        @Test
        void test(@LoopbackAddress(value = "db", named = true) ServerSocketChannel server) {}
    }

    @Fixture
    @LoopbackTest
    static class NamedWithoutHost {
        @Test
        void test(@LoopbackAddress(named = true) URI uri) {}
    }

    @Fixture
    @LoopbackTest
    static class NamedDottedHost {
        @Test
        void test(@LoopbackAddress(value = "db.internal", named = true) URI uri) {}
    }

    @Fixture
    @LoopbackTest
    static class StringWithPort {
        @Test
        void test(@LoopbackAddress(value = "db", port = 8080) String host) {}
    }
}
