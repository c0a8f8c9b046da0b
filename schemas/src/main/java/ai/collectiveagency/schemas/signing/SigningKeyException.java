package ai.collectiveagency.schemas.signing;

/** A key file that cannot be used for checkpoint signing; the message names the file and why. */
public class SigningKeyException extends RuntimeException {

  public SigningKeyException(String message) {
    super(message);
  }

  public SigningKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
