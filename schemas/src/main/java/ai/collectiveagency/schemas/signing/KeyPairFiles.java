package ai.collectiveagency.schemas.signing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

/**
 * A checkpoint-signing key pair on disk: {@code <name>.key.pem} (the private key, PKCS#8, mode
 * 0600: the trainer's secret) and {@code <name>.pub.pem} (the public key, X.509: what every
 * replica trusts). Files are created new, never overwritten, so a key in use is never lost.
 *
 * @param privateKey the private key's file
 * @param publicKey the public key's file
 */
public record KeyPairFiles(Path privateKey, Path publicKey) {

  /** The two files of key pair {@code name} in {@code folder} (which may not exist yet). */
  public static KeyPairFiles in(Path folder, String name) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
      throw new IllegalArgumentException("key name '" + name + "': letters, digits, '.', '_' and"
          + " '-' only, starting with a letter or digit");
    }
    return new KeyPairFiles(folder.resolve(name + ".key.pem"), folder.resolve(name + ".pub.pem"));
  }

  /** Whether both files exist. */
  public boolean exist() {
    return Files.isRegularFile(privateKey) && Files.isRegularFile(publicKey);
  }

  /**
   * Makes a new key pair and writes both files.
   *
   * @throws SigningKeyException when either file exists (nothing is written then) or cannot be
   *     written
   */
  public KeyPairFiles generate() {
    for (Path file : new Path[] {privateKey, publicKey}) {
      if (Files.exists(file)) {
        throw new SigningKeyException(file + ": exists; a key file is never overwritten (move it"
            + " away first, or choose another name)");
      }
    }
    KeyPair pair = Ed25519Keys.generate();
    try {
      Files.createDirectories(privateKey.toAbsolutePath().getParent());
      write(privateKey, Ed25519Keys.privateKeyPem(pair.getPrivate()), true);
      write(publicKey, Ed25519Keys.publicKeyPem(pair.getPublic()), false);
    } catch (IOException e) {
      throw new SigningKeyException("cannot write the key pair " + privateKey + ": " + e, e);
    }
    return this;
  }

  private static void write(Path file, String text, boolean secret) throws IOException {
    try {
      if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));
        Files.createFile(file, ownerOnly); // 0600 from the start: never readable by others
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      throw new SigningKeyException(file + ": exists; a key file is never overwritten", e);
    }
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
  }
}
