package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.EvalResult;

/**
 * Serializer of {@link EvalResult} (the {@code metrics} topic); no-arg, so it can be named in
 * {@code value.serializer}.
 */
public class EvalResultSerializer extends AvroSerializer<EvalResult> {

  /** A serializer using the generated class's encoder. */
  public EvalResultSerializer() {
    super(EvalResult.getEncoder(), record -> { });
  }
}
