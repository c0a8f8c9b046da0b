package ai.collectiveagency.schemas.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys as the JDK ({@code java.security}) makes and reads them, in the PEM files that
 * OpenSSL also writes and reads ({@code openssl genpkey -algorithm ed25519}): a private key as
 * PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, unencrypted), a public key as X.509
 * SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}).
 *
 * <p>A key's id ({@link #keyId}) is the lower-case hex of the first 8 bytes of the SHA-256 of its
 * X.509 encoding: it names the key in records and logs, and only selects which trusted key to
 * verify with, so a collision could never make a forged signature verify.
 */
public final class Ed25519Keys {

  static final String ALGORITHM = "Ed25519";
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
  private static final int PEM_LIMIT = 64 * 1024; // an Ed25519 key's PEM is about 120 bytes

  private Ed25519Keys() {}

  /** A new key pair from the platform's strong random source. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Java 15+ provides Ed25519", e);
    }
  }

  /** The key's id: hex of the first 8 bytes of SHA-256 over its X.509 encoding. */
  public static String keyId(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /**
   * The public key of {@code key}. The JDK has no call for it, but its Ed25519 key-pair
   * generator computes the public key from the 32 bytes it draws as the private key; drawing
   * this key's bytes gives this key's pair. The result is checked, so a JDK that drew
   * differently fails here rather than signing under a wrong key id.
   */
  public static PublicKey publicKeyOf(PrivateKey key) {
    if (!(key instanceof EdECPrivateKey edKey) || edKey.getBytes().isEmpty()) {
      throw new SigningKeyException("not an Ed25519 private key: " + key.getAlgorithm());
    }
    byte[] seed = edKey.getBytes().get();
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
      KeyPair pair = generator.generateKeyPair();
      byte[] drawn = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
      if (!Arrays.equals(drawn, seed)) {
        throw new IllegalStateException("this JDK's Ed25519 generator does not draw the private"
            + " key as 32 random bytes; cannot derive the public key");
      }
      return pair.getPublic();
    } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("Java 15+ provides Ed25519", e);
    }
  }

  /** Reads an unencrypted PKCS#8 Ed25519 private key ({@code -----BEGIN PRIVATE KEY-----}). */
  public static PrivateKey readPrivateKey(Path pem) {
    byte[] der = readPem(pem, "PRIVATE KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SigningKeyException(pem + ": not an Ed25519 private key in PKCS#8 ("
          + e.getMessage() + ")", e);
    }
  }

  /** Reads an X.509 Ed25519 public key ({@code -----BEGIN PUBLIC KEY-----}). */
  public static PublicKey readPublicKey(Path pem) {
    byte[] der = readPem(pem, "PUBLIC KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SigningKeyException(pem + ": not an Ed25519 public key in X.509 ("
          + e.getMessage() + ")", e);
    }
  }

  /** The PEM text of a private key (PKCS#8). */
  public static String privateKeyPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /** The PEM text of a public key (X.509). */
  public static String publicKeyPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] readPem(Path file, String type) {
    String text;
    try {
      if (Files.size(file) > PEM_LIMIT) {
        throw new SigningKeyException(file + ": " + Files.size(file) + " bytes, too large for a"
            + " PEM key file");
      }
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new SigningKeyException(file + ": cannot read (" + e + ")", e);
    }
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        try {
          return Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
          throw new SigningKeyException(file + ": the " + type + " block is not base64", e);
        }
      }
      if (m.group(1).equals("ENCRYPTED PRIVATE KEY")) {
        throw new SigningKeyException(file + ": an encrypted private key; write it unencrypted"
            + " (openssl pkey -in it -out key.pem) and protect the file (mode 0600, a Secret)");
      }
    }
    throw new SigningKeyException(file + ": no -----BEGIN " + type + "----- block");
  }

  /** A "random" source that returns given bytes: how {@link #publicKeyOf} replays a key. */
  private static final class FixedBytes extends SecureRandom {

    private final byte[] bytes;

    FixedBytes(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      if (out.length != bytes.length) {
        throw new IllegalStateException("asked for " + out.length + " bytes, holds "
            + bytes.length);
      }
      System.arraycopy(bytes, 0, out, 0, out.length);
    }
  }
}
