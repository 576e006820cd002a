package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.loopback.internal.lease.PrivatePools;
import dev.loopback.testing.names.NamesChild;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Host names on JDK 18+, against the packaged multi-release jar (Failsafe puts the jar, not
 * target/classes, on the class path). Exclusive names are JVM-wide, so each test uses a name of
 * its own: these tests run in parallel.
 */
class HostNamesIT {

    /** Created before any space: its threads resolve names all the same. */
    private static final ExecutorService EARLY_POOL = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stopPool() {
        EARLY_POOL.shutdownNow();
    }

    @Test
    void hostNamesResolveFromTheMultiReleaseJar() {
        assertThat(HostNames.unavailableReason()).isEmpty();
        assertThat(HostNames.available()).isTrue();
    }

    @Test
    void aSpaceNameResolvesForInetAddressHttpClientAndUrlOnThreadsCreatedBeforeTheSpace() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            Endpoint web = space.endpoint("web");
            HttpServer server = hostEchoingServer(web);
            try {
                String name = space.hostName("web");
                assertThat(name).matches("web\\.s[0-9a-z]+\\.loopback\\.test");
                URI uri = web.withHostName(name).uri("http").resolve("/host");

                InetAddress resolved = EARLY_POOL.submit(() -> InetAddress.getByName(name)).get(10, TimeUnit.SECONDS);
                String viaHttpClient = EARLY_POOL.submit(() -> HttpClient.newHttpClient()
                        .send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).body())
                        .get(10, TimeUnit.SECONDS);
                String viaUrl = EARLY_POOL.submit(() -> read(uri.toURL().openStream())).get(10, TimeUnit.SECONDS);

                assertThat(resolved).isEqualTo(space.host("web"));
                assertThat(viaHttpClient).isEqualTo(name + ":" + web.port()); // the Host header the client sent
                assertThat(viaUrl).isEqualTo(name + ":" + web.port());
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void reverseLookupOfANamedHostGivesItsName() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            String name = space.hostName("db");
            InetAddress fresh = InetAddress.getByAddress(space.host("db").getAddress()); // no name attached yet

            assertThat(fresh.getHostName()).isEqualTo(name);
            assertThat(InetAddress.getByAddress(space.host("db").getAddress()).getCanonicalHostName()).isEqualTo(name);
        }
    }

    @Test
    void twoLiveSpacesThatNameTheirHostDbEachResolveToTheirOwn() throws Exception {
        try (LoopbackSpace first = LoopbackSpace.open(); LoopbackSpace second = LoopbackSpace.open()) {
            String firstName = first.hostName("db");
            String secondName = second.hostName("db");

            assertThat(firstName).isNotEqualTo(secondName).startsWith("db.");
            assertThat(InetAddress.getByName(firstName)).isEqualTo(first.host("db"));
            assertThat(InetAddress.getByName(secondName)).isEqualTo(second.host("db"));
            assertThat(first.host("db")).isNotEqualTo(second.host("db"));
        }
    }

    @Test
    void theSameHostAskedTwiceGetsTheSameName() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThat(space.hostName("db")).isEqualTo(space.hostName("db"));
            assertThat(space.hostName("api")).isNotEqualTo(space.hostName("db"))
                    .endsWith(space.hostName("db").substring("db".length()));
        }
    }

    @Test
    void hostsDifferingOnlyInCaseCannotBothHaveNames() {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            space.hostName("db");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.hostName("DB"))
                    .withMessageContaining("differs from it only in case");
        }
    }

    @Test
    void hostsDifferingOnlyInCaseCannotBothHaveAnExclusiveName() {
        String bare = uniqueBareName();
        try (LoopbackSpace space = LoopbackSpace.open()) {
            space.exclusiveHostName(bare);
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.exclusiveHostName(bare.toUpperCase(Locale.ROOT)))
                    .withMessageContaining("differing only in case");
        }
    }

    @Test
    void aLinksHostNameTakesAClientByNameThroughTheLinkAndItsFaults() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            Endpoint web = space.endpoint("web");
            HttpServer server = hostEchoingServer(web);
            try {
                TcpLink link = space.link("api", web);
                String name = space.hostName(link);
                assertThat(name).matches("api\\.link\\.s[0-9a-z]+\\.loopback\\.test")
                        .isNotEqualTo(space.hostName("api")); // links and hosts are named apart, as in the space
                assertThat(InetAddress.getByName(name)).isEqualTo(link.endpoint().address());
                assertThat(InetAddress.getByAddress(link.endpoint().address().getAddress()).getHostName()).isEqualTo(name);

                URI uri = link.endpoint().withHostName(name).uri("http").resolve("/host");
                HttpClient client = HttpClient.newHttpClient();
                assertThat(client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).body())
                        .isEqualTo(name + ":" + link.endpoint().port());
                assertThat(link.stats().accepted()).isEqualTo(1);

                link.inject(Fault.refuse());
                assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                        BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void onlyALiveLinkOfTheSpaceCanBeNamed() throws Exception {
        try (LoopbackSpace space = LoopbackSpace.open(); LoopbackSpace other = LoopbackSpace.open()) {
            TcpLink foreign = other.link("db", other.endpoint("db"));
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.hostName(foreign))
                    .withMessage("link 'db' is not a link of this space (or it is closed): name a link in the space"
                            + " that opened it");
            TcpLink underscored = space.link("db_1", space.endpoint("db"));
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.hostName(underscored))
                    .withMessageStartingWith("link 'db_1' cannot be part of a host name: a name is one DNS label");
        }
    }

    @Test
    void aNameNeverLookedUpIsUnknownAsSoonAsItsSpaceCloses() {
        String name;
        try (LoopbackSpace space = LoopbackSpace.open()) {
            name = space.hostName("db");
        }
        assertThatThrownBy(() -> InetAddress.getByName(name))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining(name + ": no live Loopback space has this name");
    }

    /** The JDK's limit, shown: its cache of successful lookups sits above the resolver. */
    @Test
    void aNameLookedUpBeforeItsSpaceClosesIsStillAnsweredFromTheJdkCache() throws Exception {
        String name;
        InetAddress host;
        try (LoopbackSpace space = LoopbackSpace.open()) {
            name = space.hostName("db");
            host = InetAddress.getByName(name);
        }
        assertThat(InetAddress.getByName(name)).isEqualTo(host); // for up to networkaddress.cache.ttl (30 s)
    }

    @Test
    void withTheJdkCacheTtlAtZeroAClosedNameIsUnknownAtOnceEvenAfterALookup() throws Exception {
        assertThat(child(List.of("-Dsun.net.inetaddr.ttl=0", "-cp", System.getProperty("java.class.path")),
                "lookup-after-close"))
                .startsWith("unknown: db.").contains("no live Loopback space has this name");
        assertThat(child(List.of("-cp", System.getProperty("java.class.path")), "lookup-after-close"))
                .startsWith("still resolves to 127.");
    }

    @Test
    void anAddressLeasedAgainByAnotherSpaceReverseResolvesToTheNewName() throws Exception {
        String pool = PrivatePools.random(32); // one address: the second space must get the first one's
        InetAddress remembered;
        String firstName;
        try (LoopbackSpace first = LoopbackSpace.builder().pool(pool).open()) {
            firstName = first.hostName("db");
            remembered = InetAddress.getByAddress(first.host("db").getAddress());
            assertThat(remembered.getHostName()).isEqualTo(firstName);
        }
        try (LoopbackSpace second = LoopbackSpace.builder().pool(pool).open()) {
            String secondName = second.hostName("db");
            assertThat(second.host("db")).isEqualTo(remembered);

            assertThat(InetAddress.getByAddress(remembered.getAddress()).getHostName()).isEqualTo(secondName);
            assertThat(remembered.getHostName()).as("an InetAddress keeps the name it looked up").isEqualTo(firstName);
        }
    }

    @Test
    void anExclusiveNameResolvesAndIsHeldByOneLiveSpaceAtATime() throws Exception {
        String bare = uniqueBareName();
        try (LoopbackSpace holder = LoopbackSpace.open(); LoopbackSpace other = LoopbackSpace.open()) {
            assertThat(holder.exclusiveHostName(bare)).isEqualTo(bare);
            assertThat(InetAddress.getByName(bare)).isEqualTo(holder.host(bare));
            assertThat(InetAddress.getByAddress(holder.host(bare).getAddress()).getHostName()).isEqualTo(bare);

            assertThatIllegalStateException()
                    .isThrownBy(() -> other.exclusiveHostName(bare))
                    .withMessageContaining("exclusive host name '" + bare + "' is held by another live space")
                    .withMessageContaining("use hostName(\"" + bare + "\") instead");
        }
    }

    @Test
    void anExclusiveNameTakenAgainAfterCloseGetsItsAddressBackSoTheJdkCacheStaysRight() throws Exception {
        String bare = uniqueBareName();
        InetAddress first;
        try (LoopbackSpace space = LoopbackSpace.open()) {
            space.exclusiveHostName(bare);
            first = InetAddress.getByName(bare); // now in the JDK's cache for 30 s
        }
        try (LoopbackSpace later = LoopbackSpace.open()) {
            later.exclusiveHostName(bare);
            assertThat(later.host(bare)).isEqualTo(first);
            assertThat(InetAddress.getByName(bare)).isEqualTo(first);
        }
    }

    @Test
    void anExclusiveNameTheJdkStillCachesForAnotherAddressFailsSayingSo() {
        String bare = uniqueBareName();
        String pool = PrivatePools.random(32);
        InetAddress cached;
        try (LoopbackSpace space = LoopbackSpace.builder().pool(pool).open()) {
            space.exclusiveHostName(bare);
            cached = space.host(bare);
        }
        try (LoopbackSpace squatter = LoopbackSpace.builder().pool(pool).open(); // takes the address back
                LoopbackSpace later = LoopbackSpace.open()) {
            assertThat(squatter.host("other")).isEqualTo(cached);
            assertThatIllegalStateException()
                    .isThrownBy(() -> later.exclusiveHostName(bare))
                    .withMessageContaining("the JDK still resolves '" + bare + "' to " + cached.getHostAddress()
                            + " from its cache")
                    .withMessageContaining("networkaddress.cache.ttl")
                    .withMessageContaining("-Dsun.net.inetaddr.ttl=0");
            later.exclusiveHostName(uniqueBareName()); // the failed name was released: the space works on
        }
    }

    @Test
    void onTheModulePathTheReasonNamesTheModuleDescriptor() throws Exception {
        Path jar = Path.of(HostNames.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path testClasses = Path.of(NamesChild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(jar.toString()).endsWith(".jar");

        assertThat(child(List.of("-p", jar.toString(), "--add-modules", "dev.loopback.core", "-cp", testClasses.toString()),
                "reason"))
                .startsWith("the JDK did not load Loopback's resolver: loopback-core is on the module path")
                .contains("<useModulePath>false</useModulePath>");
    }

    // ---------------------------------------------------------------- helpers

    private static String uniqueBareName() {
        return "db-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static HttpServer hostEchoingServer(Endpoint endpoint) throws IOException {
        HttpServer server = HttpServer.create(endpoint.socketAddress(), 0);
        server.createContext("/host", exchange -> {
            byte[] body = exchange.getRequestHeaders().getFirst("Host").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String child(List<String> jvmArgs, String mode) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add(NamesChild.class.getName());
        command.add(mode);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM exited").isTrue();
        assertThat(process.exitValue()).as("child JVM's exit code").isZero();
        return line;
    }
}
