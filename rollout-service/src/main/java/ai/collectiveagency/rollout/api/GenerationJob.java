package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.Policy;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
 * @param stopTokenIds ids that end a choice besides the model's end-of-sequence ids
 * @param seeds one per choice, prompt-major ({@code prompts.size() * n})
 * @param logprobs whether each token's text, offset and log-prob are wanted
 * @param topLogprobs alternatives wanted at each position (0: none)
 * @param everyToken whether the log-probs list every generated id, one for one with the
 *     choice's token ids (end-of-sequence and stop ids, tokens past a stop string included):
 *     {@code return_tokens_as_token_ids}
 * @param stream whether the answer is streamed as server-sent events
 * @param adapter the runtime LoRA adapter the request names, null for the served policy
 */
public record GenerationJob(List<PromptSource> prompts, int n, Integer maxTokens,
        double temperature, double topP, List<String> stops, Set<Integer> stopTokenIds,
        long[] seeds, boolean logprobs, int topLogprobs, boolean everyToken, boolean stream,
        String adapter) {

    public GenerationJob {
        prompts = List.copyOf(prompts);
        stops = List.copyOf(stops);
        stopTokenIds = Set.copyOf(stopTokenIds);
        if (seeds.length != (long) prompts.size() * n) {
            throw new IllegalArgumentException("need one seed per choice");
        }
    }

    /** The same job, generated with the runtime adapter {@code name} (null: none). */
    public GenerationJob withAdapter(String name) {
        return new GenerationJob(prompts, n, maxTokens, temperature, topP, stops, stopTokenIds,
                seeds, logprobs, topLogprobs, everyToken, stream, name);
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

    /**
     * What jobs must share to be sampled in one {@code policy.generate} call with the same
     * result as alone: the adapter and every sampling setting but the seeds. Null for a job
     * that is not batched with others: a stream, or one without {@code max_tokens} (its budget
     * depends on its own prompts' lengths).
     */
    public BatchKey batchKey() {
        if (stream || maxTokens == null) {
            return null;
        }
        return new BatchKey(adapter, maxTokens, temperature, topP, stops, stopTokenIds,
                logprobs, topLogprobs, everyToken);
    }

    /** The settings that batched jobs share. */
    public record BatchKey(String adapter, int maxTokens, double temperature, double topP,
            List<String> stops, Set<Integer> stopTokenIds, boolean logprobs, int topLogprobs,
            boolean everyToken) {

        public BatchKey {
            Objects.requireNonNull(stops);
            Objects.requireNonNull(stopTokenIds);
        }
    }

    /** A prompt as the policy's tokenizer sees it. */
    @FunctionalInterface
    public interface PromptSource {
        int[] encode(Policy policy);
    }
}
