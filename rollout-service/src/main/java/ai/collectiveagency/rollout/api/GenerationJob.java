package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.Policy;
import java.util.List;

/**
 * A checked request, ready for the policy worker: {@code n} choices for each prompt, each
 * sampled from its own seed.
 *
 * @param prompts how to turn each prompt into token ids (run on the worker)
 * @param n choices per prompt
 * @param maxTokens tokens to generate at most; null: {@link ApiConfig#defaultMaxTokens()}, less
 *     where the context ends first
 * @param temperature 0 is greedy
 * @param topP nucleus threshold in (0, 1]
 * @param stops stop strings, none to four
 * @param seeds one per choice, prompt-major ({@code prompts.size() * n})
 * @param logprobs whether each token's text, offset and log-prob are wanted
 * @param topLogprobs alternatives wanted at each position (0: none)
 * @param stream whether the answer is streamed as server-sent events
 */
public record GenerationJob(List<PromptSource> prompts, int n, Integer maxTokens,
        double temperature, double topP, List<String> stops, long[] seeds, boolean logprobs,
        int topLogprobs, boolean stream) {

    public GenerationJob {
        prompts = List.copyOf(prompts);
        stops = List.copyOf(stops);
        if (seeds.length != (long) prompts.size() * n) {
            throw new IllegalArgumentException("need one seed per choice");
        }
    }

    /** Choices in all: prompts times {@code n}. */
    public int choices() {
        return seeds.length;
    }

    /**
     * Whether tokens are sent the moment they are sampled. Top alternatives come from one
     * teacher-forced pass over the finished completion, so a stream that asks for them is
     * written once generation has finished.
     */
    public boolean live() {
        return stream && topLogprobs == 0;
    }

    /** A prompt as the policy's tokenizer sees it. */
    @FunctionalInterface
    public interface PromptSource {
        int[] encode(Policy policy);
    }
}
