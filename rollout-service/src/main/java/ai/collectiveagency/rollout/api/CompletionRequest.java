package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The body of {@code POST /v1/completions}: {@code prompt} is a string, a list of strings, a
 * list of token ids or a list of such lists ({@code n} choices each), as vLLM accepts it.
 * {@code echo}, {@code suffix} and {@code best_of} are refused; other fields not listed are
 * ignored. vLLM's extensions: {@code return_token_ids} as in {@link ChatCompletionRequest},
 * {@code stop_token_ids} (ids that end a choice, besides the model's end-of-sequence ids) and
 * {@code return_tokens_as_token_ids} (the log-probs name each token {@code "token_id:<id>"}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompletionRequest(
        String model,
        JsonNode prompt,
        Integer n,
        Double temperature,
        Double topP,
        Integer maxTokens,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> stop,
        Long seed,
        Integer logprobs,
        Boolean echo,
        String suffix,
        Integer bestOf,
        Boolean stream,
        ChatCompletionRequest.StreamOptions streamOptions,
        Boolean returnTokenIds,
        List<Integer> stopTokenIds,
        Boolean returnTokensAsTokenIds) {
}
