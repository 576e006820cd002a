package dev.loopback.examples.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.loopback.Endpoint;
import dev.loopback.junit.LoopbackAddress;
import dev.loopback.junit.LoopbackTest;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

@LoopbackTest
@EnabledForJreRange(min = JRE.JAVA_18, disabledReason = "host names resolve through"
        + " java.net.spi.InetAddressResolverProvider, which exists from JDK 18 on")
@DisplayName("HTTPS: hostname verification passes with the test's host name and fails with the literal address")
class HttpsHostNameScenarioTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    HttpsServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    @DisplayName("the JDK HttpClient trusts a certificate issued for payments.<space>.loopback.test only under that name")
    void hostnameVerificationPassesWithTheNameAndFailsWithTheLiteralAddress(
            @LoopbackAddress(value = "payments", named = true) Endpoint payments, TestReporter reporter) throws Exception {
        String name = payments.hostName();                                    // payments.s7.loopback.test
        KeyPair keys = ecKeyPair();
        X509Certificate certificate = certificateFor(name, keys);             // SAN: DNS name only
        server = HttpsServer.create(payments.socketAddress(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(keys, certificate)));
        server.createContext("/v1/health", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        HttpClient client = HttpClient.newBuilder()
                .sslContext(clientContext(certificate))
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        URI byName = payments.uri("https").resolve("/v1/health");            // https://payments.s7.loopback.test:port
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(byName).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        reporter.publishEntry("observed", "200 " + response.body() + " from " + byName
                + " (certificate for " + name + ")");

        URI byAddress = new Endpoint(payments.address(), payments.port()).uri("https").resolve("/v1/health");
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(byAddress).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative names matching IP address " + payments.hostText());
        reporter.publishEntry("observed", "SSLHandshakeException from " + byAddress
                + ": the certificate names " + name + ", not the address");
    }

    private static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A self-signed certificate whose only subject alternative name is {@code dnsName}. */
    private static X509Certificate certificateFor(String dnsName, KeyPair keys) throws Exception {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + dnsName);
        var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofHours(1))),
                subject, keys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    private static SSLContext serverContext(KeyPair keys, X509Certificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keys.getPrivate(), PASSWORD, new Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return context;
    }

    private static SSLContext clientContext(X509Certificate trusted) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("payments", trusted);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }
}
