package dev.loopback.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.PlatformPolicy;
import dev.loopback.junit.internal.Settings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration parameters and builder options: good values take effect, bad ones fail clearly. */
class SettingsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            loopback.pool        | 10.0.0.0/8 | a CIDR block inside 127.0.0.0/8 such as 127.64.0.0/10
            loopback.platform    | maybe      | fallback, skip, fail
            loopback.leaks       | sometimes  | fail, warn, off
            loopback.leaks.grace | forever    | a duration from 0 to 5 m such as 500 ms, 2 s, 1 m or PT0.5S
            loopback.leaks.grace | 10 m       | a duration from 0 to 5 m
            loopback.seed        | abc        | a 64-bit integer such as 42, -7 or 0x2a
            loopback.link.buffer | 12         | bytes from 1024 to 67108864, or with a k / m suffix
            loopback.link.buffer | 1g         | bytes from 1024 to 67108864
            """)
    void badValueFailsNamingKeyValueAndAllowedValues(String key, String value, String allowed) {
        Throwable failure = Kit.onlyContainerFailure(Kit.run(UsesAnEndpoint.class, key, value));
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("Loopback setting " + key + " = '" + value + "' is not valid; allowed: " + allowed);
    }

    @Test
    @ResourceLock("UsesAnEndpoint")
    void goodValuesTakeEffect() {
        Kit.assertAllSucceeded(Kit.run(UsesAnEndpoint.class, LoopbackSettings.POOL, "127.99.0.0/16",
                LoopbackSettings.PLATFORM, "FAIL", LoopbackSettings.LEAKS, "Warn", LoopbackSettings.LEAKS_GRACE,
                "PT0.25S", LoopbackSettings.SEED, "0x2a", LoopbackSettings.LINK_BUFFER, "64k"), 1);
        InetAddress host = UsesAnEndpoint.SEEN.get("web").address();
        assertThat(host.getAddress()[1]).as("from 127.99.0.0/16: " + host).isEqualTo((byte) 99);
        assertThat(UsesAnEndpoint.LINK_BUFFER.get("web")).as("loopback.link.buffer=64k").isEqualTo(64 * 1024);
    }

    @Test
    void builderOptionsBeatConfigurationParameters() throws java.io.IOException {
        org.junit.platform.testkit.engine.EngineExecutionResults results;
        try {
            results = Kit.run(Built.class, LoopbackSettings.POOL, "127.99.0.0/16", LoopbackSettings.LEAKS, "fail");
        } finally {
            for (java.io.Closeable leaked : Built.LEAKED.values()) {
                leaked.close();
            }
        }
        Kit.assertAllSucceeded(results, 1);
        Endpoint web = Built.SEEN.get("web");
        assertThat(web.address().getAddress()[1]).as("from the builder's pool").isEqualTo((byte) 98);
        assertThat(Kit.reportEntries(results)).as("warned, as the builder says").anySatisfy(
                entry -> assertThat(entry.get("loopback.leaks")).contains(web.hostPort()));
    }

    @Test
    void documentedDefaultsAreTheDefaults() {
        Settings none = Settings.NONE;
        assertThat(none.effectivePool()).isEqualTo(LoopbackSpace.DEFAULT_POOL);
        assertThat(none.effectivePolicy()).isEqualTo(PlatformPolicy.FALLBACK);
        assertThat(none.effectiveLeaks()).isEqualTo(LeakMode.FAIL);
        assertThat(none.effectiveGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(none.effectiveLinkBuffer()).isEqualTo(LoopbackSpace.DEFAULT_LINK_BUFFER_BYTES);
    }

    @Test
    void builderRejectsBadOptionsAtOnce() {
        assertThatIllegalArgumentException().isThrownBy(() -> LoopbackExtension.builder().pool("10.0.0.0/8"))
                .withMessageContaining("10.0.0.0/8");
        assertThatIllegalArgumentException().isThrownBy(() -> LoopbackExtension.builder().linkBufferBytes(10))
                .withMessageContaining("10 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> LoopbackExtension.builder()
                .leakGrace(Duration.ofHours(1))).withMessageContaining("PT1H");
    }

    @Test
    @ResourceLock(org.junit.jupiter.api.parallel.Resources.SYSTEM_PROPERTIES)
    void aMisspeltLoopbackKeyIsReportedOnceWithTheClosestKnownKey() {
        System.setProperty("loopback.leak", "off");
        try {
            var results = Kit.run(UsesAnEndpoint.class);
            Kit.assertAllSucceeded(results, 1);
            assertThat(Kit.reportEntries(results)).filteredOn(e -> e.containsKey("loopback.unknown.setting"))
                    .singleElement().satisfies(e -> assertThat(e.get("loopback.unknown.setting"))
                            .contains("unknown configuration parameter loopback.leak is ignored")
                            .contains("did you mean loopback.leaks?"));
        } finally {
            System.clearProperty("loopback.leak");
        }
    }

    // ------------------------------------------------------------------ fixtures

    @Fixture
    @LoopbackTest
    static class UsesAnEndpoint {
        static final Map<String, Endpoint> SEEN = new ConcurrentHashMap<>();
        static final Map<String, Integer> LINK_BUFFER = new ConcurrentHashMap<>();

        @Test
        void test(@LoopbackAddress("web") Endpoint web, LoopbackSpace space) {
            SEEN.put("web", web);
            LINK_BUFFER.put("web", space.linkBufferBytes());
        }
    }

    @Fixture
    static class Built {
        static final Map<String, Endpoint> SEEN = new ConcurrentHashMap<>();

        @RegisterExtension
        static final LoopbackExtension LOOPBACK = LoopbackExtension.builder()
                .pool("127.98.0.0/16")
                .leaks(LeakMode.WARN)
                .leakGrace(Duration.ofMillis(50))
                .seed(7)
                .linkBufferBytes(64 * 1024)
                .build();

        static final Map<String, java.io.Closeable> LEAKED = new ConcurrentHashMap<>();

        @Test
        void test(@LoopbackAddress("web") Endpoint web, LoopbackSpace space) throws Exception {
            SEEN.put("web", web);
            LEAKED.put("web", new java.net.ServerSocket(web.port(), 1, web.address())); // warned about, not failed
        }
    }
}
