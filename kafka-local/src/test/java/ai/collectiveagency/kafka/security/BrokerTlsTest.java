package ai.collectiveagency.kafka.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerTlsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path data;

    @Test
    void theBrokerCertificateIsSignedByTheCaForLoopbackAndTheKeysAreOwnerOnly()
            throws Exception {
        BrokerTls tls = BrokerTls.ensure(data, NOW);

        X509Certificate ca = Pem.certificates(tls.caCertificate()).get(0);
        List<X509Certificate> chain = Pem.certificates(tls.brokerKeyStore());
        chain.get(0).verify(ca.getPublicKey());
        assertThat(chain.get(0).getSubjectX500Principal().getName())
                .isEqualTo(BrokerTls.BROKER_SUBJECT);
        assertThat(chain.get(0).getSubjectAlternativeNames())
                .extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrder((Object) "127.0.0.1", "localhost");
        assertThat(chain).last().isEqualTo(ca);
        assertThat(Pem.privateKey(tls.brokerKeyStore())).isNotNull();
        for (Path secret : List.of(tls.brokerKeyStore(), data.resolve(BrokerTls.CA_KEY))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
                    .as(secret.toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void aSecondStartKeepsEveryFile() throws Exception {
        BrokerTls first = BrokerTls.ensure(data, NOW);
        byte[] ca = Files.readAllBytes(first.caCertificate());
        byte[] broker = Files.readAllBytes(first.brokerKeyStore());

        BrokerTls second = BrokerTls.ensure(data, NOW.plus(Duration.ofDays(300)));

        assertThat(Files.readAllBytes(second.caCertificate())).isEqualTo(ca);
        assertThat(Files.readAllBytes(second.brokerKeyStore())).isEqualTo(broker);
    }

    @Test
    void aBrokerCertificateCloseToItsExpiryIsIssuedAgainByTheSameCa() throws Exception {
        BrokerTls first = BrokerTls.ensure(data, NOW);
        byte[] ca = Files.readAllBytes(first.caCertificate());
        Instant expiry = first.brokerCertificateExpiry();

        BrokerTls renewed = BrokerTls.ensure(data, expiry.minus(Duration.ofDays(10)));

        assertThat(Files.readAllBytes(renewed.caCertificate())).isEqualTo(ca);
        assertThat(renewed.brokerCertificateExpiry()).isAfter(expiry);
        Pem.certificates(renewed.brokerKeyStore()).get(0)
                .verify(Pem.certificates(renewed.caCertificate()).get(0).getPublicKey());
    }

    @Test
    void removingTheCaMakesANewCaAndABrokerCertificateOfIt() throws Exception {
        BrokerTls first = BrokerTls.ensure(data, NOW);
        X509Certificate oldCa = Pem.certificates(first.caCertificate()).get(0);
        Files.delete(first.caCertificate());

        BrokerTls second = BrokerTls.ensure(data, NOW);

        X509Certificate newCa = Pem.certificates(second.caCertificate()).get(0);
        assertThat(newCa).isNotEqualTo(oldCa);
        Pem.certificates(second.brokerKeyStore()).get(0).verify(newCa.getPublicKey());
    }
}
