package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The body of {@code POST /v1/chat/completions}; fields not listed (tools, penalties, user, ...)
 * are ignored. {@code return_token_ids} is an extension (as in vLLM): each choice then carries
 * its prompt's and its completion's token ids; so is {@code stop_token_ids}, ids that end a
 * choice besides the model's end-of-sequence ids; so is {@code reasoning}
 * ({@code {"mode": "async", "max_reasoning_tokens": k}}, see {@link ReasoningJob}), read and
 * checked by {@link RequestChecks#reasoning}. {@code tools} is read only to refuse it with
 * {@code reasoning}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChatCompletionRequest(
        String model,
        List<ChatMessage> messages,
        Integer n,
        Double temperature,
        Double topP,
        Integer maxTokens,
        Integer maxCompletionTokens,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> stop,
        Long seed,
        Boolean logprobs,
        Integer topLogprobs,
        Boolean stream,
        StreamOptions streamOptions,
        Boolean returnTokenIds,
        List<Integer> stopTokenIds,
        JsonNode reasoning,
        JsonNode tools) {

    /** Whether the request asks for asynchronous reasoning (a {@code reasoning} that is not null). */
    boolean reasons() {
        return reasoning != null && !reasoning.isNull();
    }

    /** One message; {@code content} is a string or a list of {@code {"type": "text"}} parts. */
    public record ChatMessage(String role, JsonNode content) {
    }

    /** {@code stream_options}: {@code include_usage} adds a last chunk with the usage. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StreamOptions(Boolean includeUsage) {
    }
}
