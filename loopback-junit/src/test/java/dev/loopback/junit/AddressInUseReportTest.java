package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.junit.OtherProcess.As;
import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A lease keeps other Loopback tests off a host, not other processes: when one of them took the
 * port handed to the test and the test's server fails to bind it, the failure names that process.
 */
class AddressInUseReportTest {

    @ParameterizedTest(name = "the other process runs as {0}")
    @EnumSource(As.class)
    @ResourceLock("AddressInUseReportTest fixtures")
    void aServerThatCannotBindItsEndpointIsToldWhichProcessHoldsIt(As as) throws Exception {
        OtherProcess.assumePossible(as);
        TakenBeforeTheServerBinds.as = as;
        Throwable failure;
        long pid;
        try {
            failure = Kit.onlyTestFailure(Kit.run(TakenBeforeTheServerBinds.class, LoopbackSettings.LEAKS_GRACE, "100 ms"));
            pid = TakenBeforeTheServerBinds.OTHER.get("web").pid();
        } finally {
            for (OtherProcess other : TakenBeforeTheServerBinds.OTHER.values()) {
                other.close();
            }
            TakenBeforeTheServerBinds.OTHER.clear();
        }
        Endpoint web = TakenBeforeTheServerBinds.ENDPOINTS.get("web");
        assertThat(failure).as("what the test's server threw").isInstanceOf(BindException.class)
                .hasMessageContaining("Address already in use");
        assertThat(failure.getSuppressed()).as("the failure report, then the leak check").hasSize(2);
        assertThat(failure.getSuppressed()[0].getMessage())
                .contains("address already in use: other processes hold ports of this test's hosts: tcp "
                        + web.hostPort() + " (host \"web\") held by pid " + pid + " (")
                .contains(", user " + OtherProcess.user(as) + ")")
                .contains("A lease keeps other Loopback tests off a host, not other processes")
                .contains("@LoopbackAddress ServerSocketChannel");
        assertThat(failure.getSuppressed()[1].getMessage()).as("the leak check")
                .contains("still listening after the test")
                .contains("Not this JVM's: tcp " + web.hostPort() + " (host \"web\") held by pid " + pid + " (");
    }

    @Test
    @ResourceLock("AddressInUseReportTest fixtures")
    void aClassServerThatCannotBindInBeforeAllIsToldWhichProcessHoldsIt() throws Exception {
        OtherProcess.assumePossible(As.THIS_USER);
        Throwable failure;
        long pid;
        try {
            failure = Kit.onlyContainerFailure(Kit.run(TakenBeforeAll.class, LoopbackSettings.LEAKS_GRACE, "100 ms"));
            pid = TakenBeforeAll.OTHER.get("db").pid();
        } finally {
            for (OtherProcess other : TakenBeforeAll.OTHER.values()) {
                other.close();
            }
            TakenBeforeAll.OTHER.clear();
        }
        Endpoint db = TakenBeforeAll.ENDPOINTS.get("db");
        assertThat(failure).isInstanceOf(BindException.class);
        assertThat(failure.getSuppressed()[0].getMessage())
                .startsWith("Loopback: class TakenBeforeAll failed")
                .contains("address already in use: other processes hold ports of this test's hosts: tcp "
                        + db.hostPort() + " (host \"db\") held by pid " + pid + " (");
    }

    @Test
    @ResourceLock("AddressInUseReportTest fixtures")
    void aPortTheTestItselfHoldsIsNotBlamedOnAnotherProcess() {
        Throwable failure = Kit.onlyTestFailure(Kit.run(BindsTwice.class));
        assertThat(failure).isInstanceOf(BindException.class);
        assertThat(failure.getSuppressed()).singleElement().extracting(Throwable::getMessage).asString()
                .contains("address already in use: no other process listens on this test's hosts")
                .doesNotContain("held by");
    }

    @Fixture
    @LoopbackTest
    static class TakenBeforeTheServerBinds {
        static volatile As as;
        static final Map<String, OtherProcess> OTHER = new ConcurrentHashMap<>();
        static final Map<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();

        @Test
        void startsItsServer(@LoopbackAddress("web") Endpoint web) throws Exception {
            ENDPOINTS.put("web", web);
            OTHER.put("web", OtherProcess.listen(as, web)); // another program takes the port first
            try (ServerSocket server = new ServerSocket(web.port(), 50, web.address())) {
                assertThat(server.isBound()).isTrue();
            }
        }
    }

    @Fixture
    @LoopbackTest
    static class TakenBeforeAll {
        static final Map<String, OtherProcess> OTHER = new ConcurrentHashMap<>();
        static final Map<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();

        @BeforeAll
        static void startTheDatabase(@LoopbackAddress("db") Endpoint db) throws Exception {
            ENDPOINTS.put("db", db);
            OTHER.put("db", OtherProcess.listen(As.THIS_USER, db));
            try (ServerSocket server = new ServerSocket(db.port(), 50, db.address())) {
                assertThat(server.isBound()).isTrue();
            }
        }

        @Test
        void usesTheDatabase() {
            assertThat(ENDPOINTS).containsKey("db");
        }
    }

    @Fixture
    @LoopbackTest
    static class BindsTwice {
        @Test
        void startsTwoServersOnOneEndpoint(@LoopbackAddress("web") Endpoint web) throws IOException {
            try (ServerSocket first = new ServerSocket(web.port(), 50, web.address());
                    ServerSocket second = new ServerSocket(web.port(), 50, web.address())) {
                assertThat(second.isBound()).isTrue();
            }
        }
    }
}
