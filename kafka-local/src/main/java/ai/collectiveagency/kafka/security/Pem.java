package ai.collectiveagency.kafka.security;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Certificates and private keys as PEM text, in the forms Kafka's {@code PEM} key and trust
 * stores read: {@code CERTIFICATE} blocks and an unencrypted PKCS#8 {@code PRIVATE KEY} (the
 * file is the secret: it is written owner-only).
 */
final class Pem {

    private Pem() {
    }

    /** PEM text of {@code key} (PKCS#8) followed by {@code chain}, leaf first. */
    static String of(PrivateKey key, X509Certificate... chain) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            if (key != null) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            }
            for (X509Certificate certificate : chain) {
                writer.writeObject(new PemObject("CERTIFICATE", certificate.getEncoded()));
            }
        } catch (IOException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode PEM", e);
        }
        return text.toString();
    }

    /** The certificates of a PEM file, in file order. */
    static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object item : read(file)) {
            if (item instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new IllegalStateException(file + ": bad certificate", e);
                }
            }
        }
        return certificates;
    }

    /** The private key of a PEM file. */
    static PrivateKey privateKey(Path file) {
        for (Object item : read(file)) {
            if (item instanceof PrivateKeyInfo info) {
                try {
                    return new JcaPEMKeyConverter().getPrivateKey(info);
                } catch (IOException e) {
                    throw new IllegalStateException(file + ": bad private key", e);
                }
            }
        }
        throw new IllegalStateException(file + " holds no PKCS#8 private key");
    }

    private static List<Object> read(Path file) {
        List<Object> items = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser =
                new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                items.add(item);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return items;
    }
}
