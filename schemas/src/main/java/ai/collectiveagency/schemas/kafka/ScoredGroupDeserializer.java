package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.ScoredGroups;

/**
 * Deserializer of {@link ScoredGroup} (the {@code scored} topic) that reads every released
 * version and checks {@link ScoredGroups#validate}; no-arg, so it can be named in {@code
 * value.deserializer}.
 */
public class ScoredGroupDeserializer extends AvroDeserializer<ScoredGroup> {

  /** A deserializer that knows every version in {@code schema-history/ScoredGroup/}. */
  public ScoredGroupDeserializer() {
    super(ScoredGroup.getClassSchema(), ScoredGroup::createDecoder, ScoredGroups::validate);
  }
}
