package ai.collectiveagency.kafka.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The secured broker's TLS files in its data folder (files, not a folder: Kafka takes every
 * folder in its log directory for a partition):
 *
 * <ul>
 *   <li>{@code ca.crt}: a self-signed CA, valid ten years: what clients trust
 *       ({@code ssl.truststore.location});
 *   <li>{@code ca.key}: its private key (0600), kept so that a broker certificate can be issued
 *       again without touching any client;
 *   <li>{@code broker.pem}: the broker's private key, its certificate ({@value #BROKER_SUBJECT},
 *       for {@code 127.0.0.1} and {@code localhost}, valid one year) and the CA (0600): its key
 *       store on every listener, and its identity on the controller and internal listeners.
 * </ul>
 *
 * <p>Made at the first secure start and reused afterwards. The broker certificate is issued
 * again when it is missing, expires within {@link #RENEW_BEFORE}, or was not signed by the CA
 * in {@code ca.crt}; removing {@code ca.crt} makes a new CA (and clients must then trust the new
 * {@code ca.crt}).
 *
 * @param caCertificate {@code ca.crt}
 * @param brokerKeyStore {@code broker.pem}
 */
public record BrokerTls(Path caCertificate, Path brokerKeyStore) {

    /** The broker's certificate subject; its principal on the TLS listeners is this name. */
    public static final String BROKER_SUBJECT = "CN=kafka-broker";
    /** The CA's subject. */
    public static final String CA_SUBJECT = "CN=negotiation-rl local Kafka CA";
    static final String CA_CERTIFICATE = "ca.crt";
    static final String CA_KEY = "ca.key";
    static final String BROKER_KEY_STORE = "broker.pem";
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration BROKER_VALIDITY = Duration.ofDays(365);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    /** The TLS files of {@code dataDir}, made or renewed as the class comment says. */
    public static BrokerTls ensure(Path dataDir, Instant now) {
        Path caCertificate = dataDir.resolve(CA_CERTIFICATE);
        Path caKey = dataDir.resolve(CA_KEY);
        Path keyStore = dataDir.resolve(BROKER_KEY_STORE);
        if (!Files.isRegularFile(caCertificate) || !Files.isRegularFile(caKey)) {
            KeyPair keys = CertificateIssuer.newKeyPair();
            X509Certificate ca = CertificateIssuer.selfSignedCa(keys, CA_SUBJECT, now,
                    CA_VALIDITY);
            OwnerOnlyFiles.write(caKey, Pem.of(keys.getPrivate()));
            writePublic(caCertificate, Pem.of(null, ca));
        }
        X509Certificate ca = Pem.certificates(caCertificate).get(0);
        if (!current(keyStore, ca, now)) {
            PrivateKey caPrivate = Pem.privateKey(caKey);
            KeyPair keys = CertificateIssuer.newKeyPair();
            X509Certificate broker = CertificateIssuer.loopbackServer(keys.getPublic(),
                    BROKER_SUBJECT, ca, caPrivate, now, BROKER_VALIDITY);
            OwnerOnlyFiles.write(keyStore, Pem.of(keys.getPrivate(), broker, ca));
        }
        return new BrokerTls(caCertificate, keyStore);
    }

    /**
     * The broker's certificate as the key store and the CA as the trust store, in the settings
     * both the broker's listeners and its own TLS clients (the local admin client) take.
     */
    public Map<String, String> pemStores() {
        return Map.of(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM",
                SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG,
                brokerKeyStore.toAbsolutePath().toString(),
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM",
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                caCertificate.toAbsolutePath().toString());
    }

    /** The broker certificate's expiry. */
    public Instant brokerCertificateExpiry() {
        return Pem.certificates(brokerKeyStore).get(0).getNotAfter().toInstant();
    }

    private static void writePublic(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Whether {@code keyStore} holds a certificate of {@code ca} valid past the renewal window. */
    private static boolean current(Path keyStore, X509Certificate ca, Instant now) {
        if (!Files.isRegularFile(keyStore)) {
            return false;
        }
        List<X509Certificate> chain = Pem.certificates(keyStore);
        if (chain.isEmpty()) {
            return false;
        }
        X509Certificate broker = chain.get(0);
        try {
            broker.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return false;
        }
        return broker.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE));
    }
}
