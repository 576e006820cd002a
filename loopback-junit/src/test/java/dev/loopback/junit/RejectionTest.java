package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.PlatformPolicy;
import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each rejected declaration fails the class with a message naming the element and the rule. */
class RejectionTest {

    private static Throwable classFailure(Class<?> fixture) {
        var results = Kit.run(fixture);
        assertThat(results.testEvents().started().count()).as("no test of a rejected class runs").isZero();
        return Kit.onlyContainerFailure(results);
    }

    @Test
    void finalFieldIsRejected() {
        assertThat(classFailure(FinalField.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("field 'FinalField.endpoint'")
                .hasMessageContaining("is final");
    }

    @Test
    void unsupportedFieldTypeIsRejected() {
        assertThat(classFailure(UnsupportedField.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("field 'UnsupportedField.socket'")
                .hasMessageContaining("has type java.net.Socket")
                .hasMessageContaining("supported types: Endpoint, InetSocketAddress, InetAddress, URI, String, int,"
                        + " Integer, ServerSocketChannel, ServerSocket, LoopbackSpace");
    }

    @Test
    void unsupportedParameterTypeIsRejectedBeforeAnyTestRuns() {
        assertThat(classFailure(UnsupportedParameter.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("parameter 'timeout' of UnsupportedParameter.test(Duration)")
                .hasMessageContaining("has type java.time.Duration");
    }

    @Test
    void conflictingHostNamesAreRejected() {
        assertThat(classFailure(ConflictingNames.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("field 'ConflictingNames.endpoint'")
                .hasMessageContaining("sets value = \"web\" and host = \"api\"");
    }

    @Test
    void agreeingHostNamesAreAccepted() {
        Kit.assertAllSucceeded(Kit.run(AgreeingNames.class), 1);
    }

    @Test
    void attributesWithoutMeaningForTheTypeAreRejected() {
        assertThat(classFailure(PortOnInetAddress.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("field 'PortOnInetAddress.host'").hasMessageContaining("port = 8080 has no meaning");
        assertThat(classFailure(SchemeOnEndpoint.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("field 'SchemeOnEndpoint.endpoint'").hasMessageContaining("only a URI has");
        assertThat(classFailure(NameOnSpace.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("field 'NameOnSpace.space'").hasMessageContaining("the whole space");
        assertThat(classFailure(BadScheme.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("field 'BadScheme.uri'").hasMessageContaining("'1http' is not a URI scheme");
    }

    @Test
    void portsOutsideTheUsableRangeAreRejected() {
        assertThat(classFailure(NegativePort.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("field 'NegativePort.endpoint' asks for port -1; allowed: 1..65534");
        assertThat(classFailure(SentinelPort.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("asks for port 65535; allowed: 1..65534 (65535 holds the host's lease)");
    }

    @Test
    void reservedHostNamesAreRejected() {
        assertThat(classFailure(LinkHostName.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("names host \"link:db\"");
        assertThat(classFailure(ClaimsUnnamedHost.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("field 'ClaimsUnnamedHost.claimer' names host \"(ClaimsUnnamedHost.unnamed)\"")
                .hasMessageContaining("'(' (reserved for the hosts of unnamed declarations)");
    }

    @Test
    void fixedPortUnderTheFallbackPolicyIsRejected() {
        assertThat(classFailure(FixedPortUnderFallback.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("field 'FixedPortUnderFallback.web' asks for fixed port 8080")
                .hasMessageContaining("the platform policy is 'fallback'");
    }

    @Test
    void kernelAssignedPortsWorkUnderTheFallbackPolicy() {
        Kit.assertAllSucceeded(Kit.run(KernelPortUnderFallback.class), 1);
    }

    @Test
    void withoutClassCallbacksAParameterIsRejectedWhenResolved() {
        Throwable failure = Kit.onlyTestFailure(Kit.run(InstanceRegistration.class));
        assertThat(failure).isInstanceOf(ParameterResolutionException.class)
                .hasCauseInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("parameter 'timeout' of InstanceRegistration.test(Duration)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"skip", "fail"})
    void platformPolicyDecidesWhenAliasesAreMissing(String policy) {
        var results = Kit.run(policy.equals("skip") ? SkipPolicy.class : FailPolicy.class);
        if (policy.equals("skip")) {
            assertThat(results.allEvents().failed().count()).isZero();
            assertThat(results.containerEvents().aborted().count()).as("the class is aborted: skipped").isOne();
        } else {
            assertThat(Kit.onlyContainerFailure(results))
                    .isInstanceOf(dev.loopback.LoopbackUnavailableException.class)
                    .hasMessageContaining("ifconfig lo0 alias");
        }
    }

    // ------------------------------------------------------------------ fixtures

    @Fixture
    @LoopbackTest
    static class FinalField {
        @LoopbackAddress final Endpoint endpoint = null;

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class UnsupportedField {
        @LoopbackAddress Socket socket;

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class UnsupportedParameter {
        @Test
        void test(@LoopbackAddress java.time.Duration timeout) {}
    }

    @Fixture
    @LoopbackTest
    static class ConflictingNames {
        @LoopbackAddress(value = "web", host = "api") Endpoint endpoint;

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class AgreeingNames {
        @LoopbackAddress(value = "web", host = "web") Endpoint endpoint;

        @Test
        void test(LoopbackSpace space) {
            assertThat(space.hosts()).containsOnlyKeys("web");
        }
    }

    @Fixture
    @LoopbackTest
    static class PortOnInetAddress {
        @LoopbackAddress(port = 8080) InetAddress host;

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class SchemeOnEndpoint {
        @LoopbackAddress(scheme = "http") Endpoint endpoint;

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class NameOnSpace {
        @LoopbackAddress("web") LoopbackSpace space;

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class BadScheme {
        @LoopbackAddress(scheme = "1http") java.net.URI uri;

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class NegativePort {
        @LoopbackAddress(port = -1) Endpoint endpoint;

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class SentinelPort {
        @LoopbackAddress(port = 65535) Endpoint endpoint;

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class LinkHostName {
        @LoopbackAddress("link:db") Endpoint endpoint;

        @Test
        void test() {}
    }

    @Fixture
    @LoopbackTest
    static class ClaimsUnnamedHost {
        @LoopbackAddress Endpoint unnamed;
        @LoopbackAddress("(ClaimsUnnamedHost.unnamed)") Endpoint claimer;

        @Test
        void test() {}
    }

    @Fixture
    static class FixedPortUnderFallback {
        @RegisterExtension
        static final LoopbackExtension LOOPBACK = LoopbackExtension.builder().assumeLoopbackAliases(false).build();

        @LoopbackAddress(port = 8080) Endpoint web;

        @Test
        void test() {}
    }

    @Fixture
    static class KernelPortUnderFallback {
        @RegisterExtension
        static final LoopbackExtension LOOPBACK = LoopbackExtension.builder().assumeLoopbackAliases(false).build();

        @Test
        void test(@LoopbackAddress Endpoint web, LoopbackSpace space) {
            assertThat(space.isFallback()).isTrue();
            assertThat(web.address()).isEqualTo(InetAddress.getLoopbackAddress());
        }
    }

    @Fixture
    static class InstanceRegistration {
        @RegisterExtension
        final LoopbackExtension loopback = new LoopbackExtension();

        @Test
        void test(@LoopbackAddress java.time.Duration timeout) {}
    }

    @Fixture
    static class SkipPolicy {
        @RegisterExtension
        static final LoopbackExtension LOOPBACK = LoopbackExtension.builder()
                .assumeLoopbackAliases(false).platformPolicy(PlatformPolicy.SKIP).build();

        @Test
        void test(@LoopbackAddress Endpoint web) {}
    }

    @Fixture
    static class FailPolicy {
        @RegisterExtension
        static final LoopbackExtension LOOPBACK = LoopbackExtension.builder()
                .assumeLoopbackAliases(false).platformPolicy(PlatformPolicy.FAIL).build();

        @Test
        void test(@LoopbackAddress Endpoint web) {}
    }
}
