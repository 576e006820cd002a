package dev.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Host names where they cannot resolve: on JDK 17, and on JDK 18+ from these tests' class path,
 * where loopback-core's classes come from a directory (never read as multi-release). The JDK 18+
 * behaviour itself is tested against the packaged jar, in {@code src/test/java18} ({@code *IT}).
 */
class HostNamesTest {

    @Test
    void onJdk17HostNamesFailWithAnErrorNamingTheJdkTheyNeed() {
        assumeTrue(Runtime.version().feature() < 18, "this JVM is Java " + Runtime.version() + ": the JDK 17 error is shown on JDK 17 only");
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThat(HostNames.available()).isFalse();
            assertThatThrownBy(() -> space.hostName("db"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("hostName(\"db\"): host names need JDK 18 or newer")
                    .hasMessageContaining("this JVM is Java " + Runtime.version());
            assertThatThrownBy(() -> space.exclusiveHostName("db"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("exclusiveHostName(\"db\"): host names need JDK 18 or newer");
            assertThat(space.hosts()).isEmpty(); // nothing leased for a name that cannot resolve
            assertThat(space.endpoint("db").hostName()).isNull(); // the rest of the space works as before
            TcpLink link = space.link("api", space.endpoint("db"));
            assertThatThrownBy(() -> space.hostName(link))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("hostName(link \"api\"): host names need JDK 18 or newer");
        }
    }

    @Test
    void onJdk18AndNewerADirectoryClassPathIsExplained() {
        assumeTrue(Runtime.version().feature() >= 18, "this JVM is Java " + Runtime.version() + ": the JDK 17 variant says JDK 18 is needed instead");
        assertThat(HostNames.unavailableReason()).get().asString()
                .contains("has no JDK 18 classes", "loaded from the directory", "not read as a multi-release jar",
                        "mvn verify");
    }

    @ParameterizedTest
    @ValueSource(strings = {"db_1", "db.internal", "-db", "", "a-host-name-of-sixty-four-characters-is-one-too-long-for-dns-xyz"})
    void hostNameRejectsAHostThatIsNotOneDnsLabelOnEveryJdk(String host) {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.hostName(host))
                    .withMessageStartingWith("host '" + host + "' cannot be part of a host name: a name is one DNS label");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            localhost           | cannot be exclusive: localhost names
            LocalHost.          | cannot be exclusive: localhost names
            api.localhost       | cannot be exclusive: localhost names
            db.s7.loopback.test | names under loopback.test are the spaces' own
            loopback.test       | names under loopback.test are the spaces' own
            127.64.3.9          | not an address literal
            db_1                | is not a DNS name
            """)
    void exclusiveHostNameRefusesNamesItMustNotShadowOnEveryJdk(String name, String why) {
        try (LoopbackSpace space = LoopbackSpace.open()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> space.exclusiveHostName(name))
                    .withMessageStartingWith("host name '" + name + "'")
                    .withMessageContaining(why);
            assertThat(space.hosts()).isEmpty();
        }
    }
}
