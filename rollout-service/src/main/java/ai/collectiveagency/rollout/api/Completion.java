package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's {@code text_completion} object (a streamed chunk has the same shape, one choice and
 * the text of one token), plus {@code policy_version}: the policy version that answered.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Completion(String id, String object, long created, String model,
        List<Choice> choices, Usage usage, long policyVersion) {

    /** A choice; {@code token_ids}, {@code prompt_token_ids} only with return_token_ids. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Choice(int index, String text, Logprobs logprobs, String finishReason,
            @JsonInclude(JsonInclude.Include.NON_NULL) int[] tokenIds,
            @JsonInclude(JsonInclude.Include.NON_NULL) int[] promptTokenIds) {
    }

    /**
     * The legacy log-probs: parallel lists, one entry per token; {@code top_logprobs} maps the
     * likeliest tokens' text to their log-probs ({@code logprobs} of them, likeliest first;
     * tokens of the same text merge), null when {@code logprobs} is 0. With
     * {@code return_tokens_as_token_ids} every token and alternative is written
     * {@code "token_id:<id>"} instead of its text, as vLLM does.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Logprobs(List<String> tokens, List<Float> tokenLogprobs,
            List<Map<String, Float>> topLogprobs, List<Integer> textOffset) {

        static Logprobs of(List<TokenPiece> pieces, boolean top, boolean asIds) {
            return new Logprobs(pieces.stream()
                            .map(p -> asIds ? tokenId(p.tokenId()) : p.token()).toList(),
                    pieces.stream().map(TokenPiece::logprob).toList(),
                    top ? pieces.stream().map(p -> top(p, asIds)).toList() : null,
                    // tokens as ids have no text to be offsets into (none are computed)
                    asIds ? null : pieces.stream().map(TokenPiece::offset).toList());
        }

        private static Map<String, Float> top(TokenPiece piece, boolean asIds) {
            Map<String, Float> top = new LinkedHashMap<>();
            piece.top().forEach(a -> top.putIfAbsent(asIds ? tokenId(a.tokenId()) : a.token(),
                    a.logprob()));
            return top;
        }

        /** vLLM's name of a token under {@code return_tokens_as_token_ids}. */
        static String tokenId(int id) {
            return "token_id:" + id;
        }
    }
}
