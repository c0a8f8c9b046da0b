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
 * @param pieces whether each token's text and offset are wanted (log-probs, streaming)
 * @param topLogprobs alternatives wanted at each position (0: none)
 */
public record GenerationJob(List<PromptSource> prompts, int n, Integer maxTokens,
        double temperature, double topP, List<String> stops, long[] seeds, boolean pieces, int topLogprobs) {

    public GenerationJob {
        prompts = List.copyOf(prompts);
        stops = List.copyOf(stops);
        if (seeds.length != prompts.size() * n) {
            throw new IllegalArgumentException("need one seed per choice");
        }
    }

    /** A prompt as the policy's tokenizer sees it. */
    @FunctionalInterface
    public interface PromptSource {
        int[] encode(Policy policy);
    }
}
