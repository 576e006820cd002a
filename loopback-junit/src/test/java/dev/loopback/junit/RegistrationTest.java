package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.junit.internal.SeedDerivation;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/**
 * {@code @LoopbackAddress} registers the extension itself, like {@code @TempDir}; registered twice
 * (the annotation and {@code @LoopbackTest} or a builder), it is still one extension, with the
 * builder's options.
 */
class RegistrationTest {

    @Test
    void fieldsAndParametersAreInjectedWithoutLoopbackTest() {
        Kit.assertAllSucceeded(Kit.run(NoRegistration.class), 2);
        Map<String, Object> seen = NoRegistration.SEEN;
        assertThat(seen.get("beforeAll")).as("a @BeforeAll parameter shares the static field's class host")
                .isEqualTo(seen.get("static"));
        assertThat(((LoopbackSpace) seen.get("class space")).isClosed()).as("the class space closed").isTrue();
        for (String test : new String[] {"first", "second"}) {
            assertThat(seen.get(test + ".field")).as(test + ": field and parameter of one name share a host")
                    .isEqualTo(seen.get(test + ".parameter"));
            assertThat(seen.get(test + ".beforeEach")).isEqualTo(seen.get(test + ".parameter"));
            assertThat(seen.get(test + ".field")).as("method scope, not class scope").isNotEqualTo(seen.get("static"));
        }
        assertThat(seen.get("first.field")).as("a space per test").isNotEqualTo(seen.get("second.field"));
    }

    @Test
    void aParameterAloneRegistersTheExtensionForItsTestAndTheLeakCheckRuns() throws IOException {
        try {
            Throwable failure = Kit.onlyTestFailure(Kit.run(ParameterOnly.class, LoopbackSettings.LEAKS_GRACE, "0 s"));
            assertThat(failure).isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("still listening after the test")
                    .hasMessageContaining("tcp " + ParameterOnly.ENDPOINTS.get("web").hostPort());
        } finally {
            closeAll(ParameterOnly.LEAKED);
        }
    }

    @Test
    void nestedClassesWithoutLoopbackTestAreInjectedToo() {
        Kit.assertAllSucceeded(Kit.run(OuterWithoutRegistration.class), 2);
        assertThat(OuterWithoutRegistration.SEEN.get("inner.outerStatic"))
                .as("the nested test sees the enclosing class's static field")
                .isEqualTo(OuterWithoutRegistration.SEEN.get("outer.outerStatic"));
        assertThat(OuterWithoutRegistration.SEEN.get("inner.own")).isNotNull()
                .isNotEqualTo(OuterWithoutRegistration.SEEN.get("inner.outerStatic"));
    }

    @Test
    void annotationAndLoopbackTestAndABuilderAreOneExtensionWithTheBuildersOptions() throws IOException {
        EngineExecutionResults results;
        try {
            results = Kit.run(RegisteredThreeWays.class);
        } finally {
            closeAll(RegisteredThreeWays.LEAKED);
        }
        // a second (default) extension acting too would resolve parameters twice (JUnit fails the
        // test), lease from the default pool, and fail the leak that the builder's WARN lets pass
        Kit.assertAllSucceeded(results, 1);
        Map<String, Object> seen = RegisteredThreeWays.SEEN;
        assertThat(((InetAddress) seen.get("static")).getHostAddress()).startsWith("127.80.");
        assertThat(((Endpoint) seen.get("parameter")).address().getHostAddress()).startsWith("127.80.");
        String testId = results.testEvents().started().list().get(0).getTestDescriptor().getUniqueId().toString();
        assertThat(((LoopbackSpace) seen.get("space")).seed()).as("the builder's run seed 42")
                .isEqualTo(SeedDerivation.spaceSeed(42, testId));
        assertThat(Kit.reportEntries(results)).as("one leak warning, from one extension")
                .filteredOn(entry -> entry.containsKey("loopback.leaks")).hasSize(1);
    }

    @Test
    void anInstanceBuilderAndTheAnnotationAreOneExtensionToo() {
        Kit.assertAllSucceeded(Kit.run(InstanceBuilder.class), 1);
    }

    @Test
    void twoBuildersAreRejectedNamingBoth() {
        Throwable failure = Kit.onlyContainerFailure(Kit.run(TwoBuilders.class));
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("registered with @RegisterExtension 2 times")
                .hasMessageContaining("TwoBuilders.FIRST").hasMessageContaining("TwoBuilders.SECOND");
    }

    private static void closeAll(Map<String, ? extends Closeable> leaked) throws IOException {
        for (Closeable c : leaked.values()) {
            c.close();
        }
    }

    // ------------------------------------------------------------------ fixtures

    @Fixture
    static class NoRegistration {
        static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
        @LoopbackAddress("db") static InetAddress classDb;
        @LoopbackAddress("web") Endpoint web;
        private String test;

        @BeforeAll
        static void beforeAll(@LoopbackAddress("db") InetAddress db, @LoopbackAddress LoopbackSpace space) {
            SEEN.put("static", classDb);
            SEEN.put("beforeAll", db);
            SEEN.put("class space", space);
        }

        @BeforeEach
        void beforeEach(@LoopbackAddress("web") Endpoint web, org.junit.jupiter.api.TestInfo info) {
            test = info.getTestMethod().orElseThrow().getName();
            SEEN.put(test + ".beforeEach", web.address());
        }

        @Test
        void first(@LoopbackAddress("web") InetAddress web) {
            record(web);
        }

        @Test
        void second(@LoopbackAddress("web") InetAddress web) {
            record(web);
        }

        private void record(InetAddress parameter) {
            SEEN.put(test + ".field", web.address());
            SEEN.put(test + ".parameter", parameter);
        }
    }

    @Fixture
    static class ParameterOnly {
        static final Map<String, ServerSocket> LEAKED = new ConcurrentHashMap<>();
        static final Map<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();

        @Test
        void leavesAServerListening(@LoopbackAddress Endpoint web) throws IOException {
            ENDPOINTS.put("web", web);
            LEAKED.put("web", LeakCheckTest.serve(web));
        }
    }

    @Fixture
    static class OuterWithoutRegistration {
        static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
        @LoopbackAddress("shared") static InetAddress outerStatic;

        @Test
        void outer() {
            SEEN.put("outer.outerStatic", outerStatic);
        }

        @Nested
        class Inner {
            @LoopbackAddress("own") InetAddress own;

            @Test
            void inner() {
                SEEN.put("inner.outerStatic", outerStatic);
                SEEN.put("inner.own", own);
            }
        }
    }

    @Fixture
    @LoopbackTest
    static class RegisteredThreeWays {
        static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
        static final Map<String, ServerSocket> LEAKED = new ConcurrentHashMap<>();

        // declared before the builder, so JUnit registers the annotation's extension first
        @LoopbackAddress("db") static InetAddress db;

        @RegisterExtension
        static final LoopbackExtension LOOPBACK = LoopbackExtension.builder()
                .pool("127.80.0.0/16").seed(42).leaks(LeakMode.WARN).leakGrace(java.time.Duration.ZERO).build();

        @AfterAll
        static void recordClassHost() {
            SEEN.put("static", db);
        }

        @Test
        void test(@LoopbackAddress("web") Endpoint web, LoopbackSpace space) throws IOException {
            SEEN.put("parameter", web);
            SEEN.put("space", space);
            LEAKED.put("web", LeakCheckTest.serve(web));
        }
    }

    @Fixture
    static class InstanceBuilder {
        @RegisterExtension
        final LoopbackExtension loopback = LoopbackExtension.builder().pool("127.81.0.0/16").build();

        @LoopbackAddress Endpoint field;

        @Test
        void test(@LoopbackAddress Endpoint parameter) {
            assertThat(field.address().getHostAddress()).startsWith("127.81.");
            assertThat(parameter.address().getHostAddress()).startsWith("127.81.");
        }
    }

    @Fixture
    static class TwoBuilders {
        @RegisterExtension
        static final LoopbackExtension FIRST = LoopbackExtension.builder().build();
        @RegisterExtension
        static final LoopbackExtension SECOND = LoopbackExtension.builder().build();

        @Test
        void test(@LoopbackAddress Endpoint web) {}
    }
}
