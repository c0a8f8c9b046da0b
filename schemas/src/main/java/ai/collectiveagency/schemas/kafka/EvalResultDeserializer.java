package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.EvalResult;

/**
 * Deserializer of {@link EvalResult} (the {@code metrics} topic) that reads every released
 * version; no-arg, so it can be named in {@code value.deserializer}.
 */
public class EvalResultDeserializer extends AvroDeserializer<EvalResult> {

  /** A deserializer that knows every version in {@code schema-history/EvalResult/}. */
  public EvalResultDeserializer() {
    super(EvalResult.getClassSchema(), EvalResult::createDecoder, record -> { });
  }
}
