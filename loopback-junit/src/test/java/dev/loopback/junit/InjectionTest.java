package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every injection site and type, class and method scope, shared host names and {@code @Nested}. */
class InjectionTest {

    @Test
    void injectsEveryTypeIntoFields() {
        Kit.assertAllSucceeded(Kit.run(AllTypesInFields.class), 1);
    }

    @Test
    void injectsEveryTypeIntoParameters() {
        Kit.assertAllSucceeded(Kit.run(AllTypesInParameters.class), 1);
    }

    @Test
    void registersThroughExtendWithToo() {
        Kit.assertAllSucceeded(Kit.run(ExtendWithRegistration.class), 1);
    }

    @Test
    void sameNameSharesTheHostAndEndpointAcrossSitesOfOneScope() {
        Kit.assertAllSucceeded(Kit.run(Sites.class), 2);
        Map<String, Object> seen = Sites.SEEN;
        // method scope: constructor, @BeforeEach, field, test and @AfterEach parameters share "web"
        for (String test : List.of("first", "second")) {
            Object web = seen.get(test + ".test.web");
            assertThat(seen.get(test + ".constructor.web")).isEqualTo(web);
            assertThat(seen.get(test + ".beforeEach.web")).isEqualTo(web);
            assertThat(seen.get(test + ".field.web")).isEqualTo(web);
            assertThat(seen.get(test + ".afterEach.web")).isEqualTo(web);
            assertThat(seen.get(test + ".space")).isNotSameAs(seen.get("class.space"));
            assertThat(((LoopbackSpace) seen.get(test + ".space")).isClosed()).as("closed after the test").isTrue();
        }
        // class scope: the static field and the @BeforeAll / @AfterAll parameters share "web"
        assertThat(seen.get("beforeAll.web")).isEqualTo(seen.get("static.web"));
        assertThat(seen.get("afterAll.web")).isEqualTo(seen.get("static.web"));
        // each test has its own space; names are per space
        assertThat(seen.get("first.space")).isNotSameAs(seen.get("second.space"));
        assertThat(seen.get("first.test.web")).isNotEqualTo(seen.get("static.web"));
        assertThat(seen.get("first.test.web")).isNotEqualTo(seen.get("second.test.web"));
        assertThat(((LoopbackSpace) seen.get("class.space")).isClosed()).as("closed after the class").isTrue();
    }

    @Test
    void declarationsWithoutANameGetAHostEach() {
        Kit.assertAllSucceeded(Kit.run(Unnamed.class), 1);
    }

    @Test
    void nestedClassesSeeTheEnclosingClassSpaceAndHaveTheirOwn() {
        Kit.assertAllSucceeded(Kit.run(Outer.class), 2);
        assertThat(Outer.SEEN.get("nested.class.db")).isNotEqualTo(Outer.SEEN.get("outer.class.db"));
    }

    @Test
    void perClassLifecycleGetsAFreshMethodSpacePerTest() {
        Kit.assertAllSucceeded(Kit.run(PerClass.class), 2);
        assertThat(PerClass.SEEN).hasSize(2);
        assertThat(PerClass.SEEN.get(0)).isNotEqualTo(PerClass.SEEN.get(1));
    }

    // ------------------------------------------------------------------ fixtures

    static void assertServes(ServerSocketChannel server, Endpoint endpoint) throws IOException {
        try (SocketChannel client = SocketChannel.open(endpoint.socketAddress());
                SocketChannel accepted = server.accept()) {
            assertThat(accepted.getLocalAddress()).isEqualTo(endpoint.socketAddress());
            assertThat(client.getRemoteAddress()).isEqualTo(endpoint.socketAddress());
        }
    }

    static void assertOwnHost(InetAddress address) {
        assertThat(address.getHostAddress()).startsWith("127.");
        assertThat(address.getAddress()[1] & 0xC0).as("inside 127.64.0.0/10: " + address).isEqualTo(64);
    }

    @Fixture
    @LoopbackTest
    static class AllTypesInFields {
        @LoopbackAddress("web") Endpoint endpoint;
        @LoopbackAddress(host = "web") InetSocketAddress socketAddress;
        @LoopbackAddress("web") InetAddress address;
        @LoopbackAddress(value = "web", scheme = "https") URI uri;
        @LoopbackAddress("web") URI httpUri;
        @LoopbackAddress("web") int port;
        @LoopbackAddress("web") Integer boxedPort;
        @LoopbackAddress("api") ServerSocketChannel channel;
        @LoopbackAddress("api") ServerSocket socket;
        @LoopbackAddress("api") Endpoint api;
        @LoopbackAddress(value = "fixed", port = 8080) Endpoint fixed;
        @LoopbackAddress LoopbackSpace space;

        @Test
        void fieldsAreInjected() throws IOException {
            assertOwnHost(address);
            assertThat(endpoint.address()).isEqualTo(address);
            assertThat(socketAddress).isEqualTo(endpoint.socketAddress());
            assertThat(uri).isEqualTo(URI.create("https://" + endpoint.hostPort()));
            assertThat(httpUri).isEqualTo(URI.create("http://" + endpoint.hostPort()));
            assertThat(port).isEqualTo(endpoint.port()).isPositive();
            assertThat(boxedPort).isEqualTo(port);
            assertThat(socket).isSameAs(channel.socket());
            assertThat(channel.getLocalAddress()).isEqualTo(api.socketAddress());
            assertThat(api.address()).isNotEqualTo(address);
            assertThat(fixed.port()).isEqualTo(8080);
            assertThat(space.hosts()).containsEntry("web", address).containsEntry("api", api.address());
            assertServes(channel, api);
            try (ServerSocketChannel server = ServerSocketChannel.open().bind(endpoint.socketAddress())) {
                assertServes(server, endpoint);
            }
        }
    }

    @Fixture
    @LoopbackTest
    static class AllTypesInParameters {
        @Test
        void parametersAreInjected(@LoopbackAddress("web") Endpoint endpoint,
                @LoopbackAddress("web") InetSocketAddress socketAddress, @LoopbackAddress("web") InetAddress address,
                @LoopbackAddress(value = "web", scheme = "grpc") URI uri, @LoopbackAddress("web") int port,
                @LoopbackAddress("web") Integer boxedPort, @LoopbackAddress("api") ServerSocket socket,
                @LoopbackAddress("api") ServerSocketChannel channel, @LoopbackAddress("api") Endpoint api,
                LoopbackSpace space, @LoopbackAddress LoopbackSpace annotatedSpace) throws IOException {
            assertOwnHost(address);
            assertThat(endpoint.address()).isEqualTo(address);
            assertThat(socketAddress).isEqualTo(endpoint.socketAddress());
            assertThat(uri).isEqualTo(URI.create("grpc://" + endpoint.hostPort()));
            assertThat(port).isEqualTo(endpoint.port());
            assertThat(boxedPort).isEqualTo(port);
            assertThat(socket).isSameAs(channel.socket());
            assertThat(annotatedSpace).isSameAs(space);
            assertThat(space.hosts()).containsEntry("web", address);
            // a ServerSocket from the space serves as a plain blocking ServerSocket
            try (Socket client = new Socket(api.address(), api.port()); Socket accepted = socket.accept();
                    OutputStream out = client.getOutputStream(); InputStream in = accepted.getInputStream()) {
                out.write(42);
                assertThat(in.read()).isEqualTo(42);
            }
        }
    }

    @Fixture
    @ExtendWith(LoopbackExtension.class)
    static class ExtendWithRegistration {
        @Test
        void endpointIsInjected(@LoopbackAddress Endpoint endpoint) {
            assertOwnHost(endpoint.address());
        }
    }

    @Fixture
    @LoopbackTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Sites {
        static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
        @LoopbackAddress("web") static Endpoint staticWeb;
        @LoopbackAddress static LoopbackSpace classSpace;
        @LoopbackAddress("web") Endpoint fieldWeb;
        private final Endpoint constructorWeb;
        private String test;

        Sites(@LoopbackAddress("web") Endpoint web) {
            this.constructorWeb = web;
        }

        @BeforeAll
        static void beforeAll(@LoopbackAddress("web") Endpoint web, LoopbackSpace space) {
            assertThat(space).isSameAs(classSpace);
            SEEN.put("static.web", staticWeb);
            SEEN.put("beforeAll.web", web);
            SEEN.put("class.space", space);
        }

        @BeforeEach
        void beforeEach(@LoopbackAddress("web") Endpoint web, org.junit.jupiter.api.TestInfo info) {
            test = info.getTestMethod().orElseThrow().getName();
            SEEN.put(test + ".beforeEach.web", web);
            SEEN.put(test + ".constructor.web", constructorWeb);
            SEEN.put(test + ".field.web", fieldWeb);
        }

        @Test
        @Order(1)
        void first(@LoopbackAddress("web") Endpoint web, LoopbackSpace space) {
            SEEN.put("first.test.web", web);
            SEEN.put("first.space", space);
        }

        @Test
        @Order(2)
        void second(@LoopbackAddress("web") Endpoint web, LoopbackSpace space) {
            SEEN.put("second.test.web", web);
            SEEN.put("second.space", space);
        }

        @AfterEach
        void afterEach(@LoopbackAddress("web") Endpoint web) {
            SEEN.put(test + ".afterEach.web", web);
        }

        @AfterAll
        static void afterAll(@LoopbackAddress("web") Endpoint web) {
            SEEN.put("afterAll.web", web);
        }
    }

    @Fixture
    @LoopbackTest
    static class Unnamed {
        @LoopbackAddress Endpoint a;
        @LoopbackAddress Endpoint b;

        @Test
        void eachGetsItsOwnHost(@LoopbackAddress Endpoint c, @LoopbackAddress InetAddress d, LoopbackSpace space) {
            assertThat(List.of(a.address(), b.address(), c.address(), d)).doesNotHaveDuplicates();
            assertThat(space.hosts()).hasSize(4);
        }
    }

    @Fixture
    @LoopbackTest
    static class Outer {
        static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
        @LoopbackAddress("db") static ServerSocketChannel db;
        @LoopbackAddress("db") static Endpoint dbEndpoint;
        @LoopbackAddress("web") Endpoint outerWeb;

        @BeforeAll
        static void recordClassEndpoint() {
            SEEN.put("outer.class.db", dbEndpoint);
        }

        @Test
        void outerTest() throws IOException {
            assertServes(db, dbEndpoint);
        }

        @Nested
        class Inner {
            @LoopbackAddress("web") Endpoint innerWeb;

            @BeforeAll
            static void ownClassSpace(@LoopbackAddress("db") Endpoint innerDb) {
                SEEN.put("nested.class.db", innerDb);
            }

            @Test
            void seesTheEnclosingClassEndpointsAndSharesTheMethodSpace() throws IOException {
                assertThat(db.isOpen()).as("the enclosing class's space is still open").isTrue();
                assertServes(db, dbEndpoint);
                assertThat(innerWeb).as("outer and inner instance fields share the test's space").isEqualTo(outerWeb);
            }
        }
    }

    @Fixture
    @LoopbackTest
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClass {
        static final List<Endpoint> SEEN = new CopyOnWriteArrayList<>();
        @LoopbackAddress Endpoint web;
        private final LoopbackSpace constructorSpace;

        PerClass(LoopbackSpace space) {
            this.constructorSpace = space;
        }

        @Test
        void one(LoopbackSpace space) {
            assertThat(space).isNotSameAs(constructorSpace);
            SEEN.add(web);
        }

        @Test
        void two(LoopbackSpace space) {
            assertThat(space).isNotSameAs(constructorSpace);
            SEEN.add(web);
        }
    }
}
