package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.PolicyCheckpoints;

/**
 * Serializer of {@link PolicyCheckpoint} (the {@code checkpoints} topic) that checks {@link
 * PolicyCheckpoints#validate}; no-arg, so it can be named in {@code value.serializer}.
 */
public class PolicyCheckpointSerializer extends AvroSerializer<PolicyCheckpoint> {

  /** A serializer using the generated class's encoder. */
  public PolicyCheckpointSerializer() {
    super(PolicyCheckpoint.getEncoder(), PolicyCheckpoints::validate);
  }
}
