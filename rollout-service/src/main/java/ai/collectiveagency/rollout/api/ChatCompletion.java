package ai.collectiveagency.rollout.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * OpenAI's {@code chat.completion} object (and, with {@code object = chat.completion.chunk} and
 * deltas, a streamed chunk), plus {@code policy_version}: the policy version that answered.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChatCompletion(String id, String object, long created, String model,
        List<Choice> choices, Usage usage, long policyVersion) {

    /**
     * A choice: {@code message} in a response, {@code delta} in a chunk. {@code token_ids} and
     * {@code prompt_token_ids} only with {@code return_token_ids}.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Choice(int index,
            @JsonInclude(JsonInclude.Include.NON_NULL) Message message,
            @JsonInclude(JsonInclude.Include.NON_NULL) Message delta,
            Logprobs logprobs, String finishReason,
            @JsonInclude(JsonInclude.Include.NON_NULL) int[] tokenIds,
            @JsonInclude(JsonInclude.Include.NON_NULL) int[] promptTokenIds) {
    }

    /**
     * A message or a delta; a delta leaves out what it does not carry. {@code reasoning_content}
     * (vLLM's and DeepSeek's name) is the thinker's text of asynchronous reasoning, absent
     * without it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Message(String role, String content, String reasoningContent) {

        Message(String role, String content) {
            this(role, content, null);
        }
    }

    /** {@code logprobs}: one entry per generated token. */
    public record Logprobs(List<TokenLogprob> content) {

        static Logprobs of(List<TokenPiece> pieces) {
            return new Logprobs(pieces.stream().map(TokenLogprob::of).toList());
        }
    }

    /**
     * A token's log-probability under the sampling distribution, with the likeliest tokens at
     * its position ({@code top_logprobs}: as many as asked for, likeliest first).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TokenLogprob(String token, double logprob, int[] bytes,
            List<TopLogprob> topLogprobs) {

        static TokenLogprob of(TokenPiece piece) {
            return new TokenLogprob(piece.token(), piece.logprob(), utf8(piece.token()),
                    piece.top().stream().map(a -> new TopLogprob(a.token(), a.logprob(),
                            utf8(a.token()))).toList());
        }
    }

    /** One of the likeliest tokens at a position. */
    public record TopLogprob(String token, double logprob, int[] bytes) {
    }

    private static int[] utf8(String token) {
        byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
        int[] bytes = new int[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            bytes[i] = utf8[i] & 0xff;
        }
        return bytes;
    }
}
