package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Token counts of a response; completion tokens include those that ended a sequence. With
 * asynchronous reasoning, as OpenAI counts reasoning: completion tokens are the answer's and the
 * thinker's, {@code completion_tokens_details.reasoning_tokens} the thinker's alone, and prompt
 * tokens both streams' prompts (each reads the conversation under its own instructions).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Usage(int promptTokens, int completionTokens, int totalTokens,
        @JsonInclude(JsonInclude.Include.NON_NULL) Details completionTokensDetails) {

    public Usage(int promptTokens, int completionTokens, int totalTokens) {
        this(promptTokens, completionTokens, totalTokens, null);
    }

    /** {@code completion_tokens_details}: of the completion tokens, the thinker's. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Details(int reasoningTokens) {
    }
}
