package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.PromptTask;

/**
 * Serializer of {@link PromptTask} (the {@code prompts} topic); no-arg, so it can be named in
 * {@code value.serializer}.
 */
public class PromptTaskSerializer extends AvroSerializer<PromptTask> {

  /** A serializer using the generated class's encoder. */
  public PromptTaskSerializer() {
    super(PromptTask.getEncoder(), record -> { });
  }
}
