package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.FinishReason;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where self-play's sampling calls run: token ids in, token ids and their log-probs out. The
 * policy in this process ({@link #local}), or an inference engine over HTTP (the
 * rollout-service's remote generation). Text never crosses this line, so a trajectory keeps the
 * exact ids that were sampled.
 */
@FunctionalInterface
public interface GenerationEngine {

    /**
     * One continuation per prompt, each sampled from its own seed ({@code params.seed()} is
     * unused), so a sequence's tokens do not depend on what else shares the call. Log-probs are
     * {@code log_softmax(logits / temperature)} as {@link Generation} defines them.
     *
     * @param seeds one per prompt
     */
    List<Generation> generate(List<int[]> prompts, SamplingParams params, long[] seeds);

    /**
     * One call whose rows have budgets of their own (a persona's turn and the other persona's
     * thoughts), each at most {@code params.maxNewTokens()}. By default the rows run under the
     * call's budget and each is cut to its own afterwards: exact, since a row's tokens depend only
     * on its prompt and seed, so its first n tokens are those a budget of n would have given. An
     * engine that takes a budget per sequence overrides this to spare the cut tokens.
     *
     * @param maxTokens one per prompt
     */
    default List<Generation> generate(List<int[]> prompts, SamplingParams params,
            int[] maxTokens, long[] seeds) {
        if (maxTokens.length != prompts.size()) {
            throw new IllegalArgumentException(maxTokens.length + " budgets for "
                    + prompts.size() + " prompts");
        }
        for (int budget : maxTokens) {
            if (budget < 1 || budget > params.maxNewTokens()) {
                throw new IllegalArgumentException("a row's budget must lie in [1, "
                        + params.maxNewTokens() + "], the call's, got " + budget);
            }
        }
        List<Generation> full = generate(prompts, params, seeds);
        List<Generation> cut = new ArrayList<>(full.size());
        for (int i = 0; i < full.size(); i++) {
            cut.add(cut(full.get(i), maxTokens[i]));
        }
        return cut;
    }

    /**
     * {@code generation} as a budget of {@code maxTokens} would have ended it: a longer one never
     * reached a stop within the budget, so it ends there by length.
     */
    private static Generation cut(Generation generation, int maxTokens) {
        if (generation.tokenIds().length <= maxTokens) {
            return generation;
        }
        return new Generation(Arrays.copyOf(generation.tokenIds(), maxTokens),
                Arrays.copyOf(generation.logprobs(), maxTokens), FinishReason.LENGTH);
    }

    /** Generation by {@code policy} in this process. */
    static GenerationEngine local(Policy policy) {
        return (prompts, params, seeds) -> policy.generate(prompts, params, seeds, List.of());
    }
}
