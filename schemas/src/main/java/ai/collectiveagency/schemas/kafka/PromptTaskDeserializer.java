package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.PromptTask;

/**
 * Deserializer of {@link PromptTask} (the {@code prompts} topic) that reads every released
 * version; no-arg, so it can be named in {@code value.deserializer}.
 */
public class PromptTaskDeserializer extends AvroDeserializer<PromptTask> {

  /** A deserializer that knows every version in {@code schema-history/PromptTask/}. */
  public PromptTaskDeserializer() {
    super(PromptTask.getClassSchema(), PromptTask::createDecoder, record -> { });
  }
}
