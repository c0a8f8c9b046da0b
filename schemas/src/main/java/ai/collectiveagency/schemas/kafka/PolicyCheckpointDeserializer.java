package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.PolicyCheckpoints;

/**
 * Deserializer of {@link PolicyCheckpoint} (the {@code checkpoints} topic) that reads every
 * released version and checks {@link PolicyCheckpoints#validate}; no-arg, so it can be
 * named in {@code value.deserializer}.
 */
public class PolicyCheckpointDeserializer extends AvroDeserializer<PolicyCheckpoint> {

  /** A deserializer that knows every version in {@code schema-history/PolicyCheckpoint/}. */
  public PolicyCheckpointDeserializer() {
    super(PolicyCheckpoint.getClassSchema(), PolicyCheckpoint::createDecoder,
        PolicyCheckpoints::validate);
  }
}
