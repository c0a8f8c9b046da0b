package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.ScoredGroups;

/**
 * Serializer of {@link ScoredGroup} (the {@code scored} topic) that checks {@link
 * ScoredGroups#validate}; no-arg, so it can be named in {@code value.serializer}.
 */
public class ScoredGroupSerializer extends AvroSerializer<ScoredGroup> {

  /** A serializer using the generated class's encoder. */
  public ScoredGroupSerializer() {
    super(ScoredGroup.getEncoder(), ScoredGroups::validate);
  }
}
