package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.RolloutGroups;

/**
 * Deserializer of {@link RolloutGroup} (the {@code rollouts} topic) that reads every released
 * version and checks {@link RolloutGroups#validate}; no-arg, so it can be named in {@code
 * value.deserializer}.
 */
public class RolloutGroupDeserializer extends AvroDeserializer<RolloutGroup> {

  /** A deserializer that knows every version in {@code schema-history/RolloutGroup/}. */
  public RolloutGroupDeserializer() {
    super(RolloutGroup.getClassSchema(), RolloutGroup::createDecoder, RolloutGroups::validate);
  }
}
