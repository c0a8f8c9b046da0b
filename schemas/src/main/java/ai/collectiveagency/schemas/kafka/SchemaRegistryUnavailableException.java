package ai.collectiveagency.schemas.kafka;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The schema registry could not be asked (connection refused, timeout, a 5xx or 429 answer):
 * the record is not poison, and a consumer retries it later instead of dead-lettering it.
 */
public final class SchemaRegistryUnavailableException extends RetriableException {

  public SchemaRegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public SchemaRegistryUnavailableException(String message) {
    super(message);
  }
}
