package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The body of {@code POST /v1/completions}: {@code prompt} is a string or a list of strings
 * ({@code n} choices each). {@code echo}, {@code suffix} and {@code best_of} are refused;
 * other fields not listed are ignored. {@code return_token_ids} as in
 * {@link ChatCompletionRequest}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompletionRequest(
        String model,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> prompt,
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
        Boolean returnTokenIds) {
}
