package ai.collectiveagency.prompts.config;

import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.prompts.mix.SourceMix;
import java.util.Optional;

/**
 * The service's task sources: the mix that makes task {@code i}, and the LLM source's chat when
 * {@code prompts.llm.share} is above 0 (its counters feed the metrics).
 */
public record TaskSources(SourceMix mix, Optional<JsonChat> llmChat) {
}
