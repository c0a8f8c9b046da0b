package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.RolloutGroups;

/**
 * Serializer of {@link RolloutGroup} (the {@code rollouts} topic) that checks {@link
 * RolloutGroups#validate}; no-arg, so it can be named in {@code value.serializer}.
 */
public class RolloutGroupSerializer extends AvroSerializer<RolloutGroup> {

  /** A serializer using the generated class's encoder. */
  public RolloutGroupSerializer() {
    super(RolloutGroup.getEncoder(), RolloutGroups::validate);
  }
}
