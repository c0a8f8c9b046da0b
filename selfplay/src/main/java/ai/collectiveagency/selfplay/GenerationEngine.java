package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;

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

    /** Generation by {@code policy} in this process. */
    static GenerationEngine local(Policy policy) {
        return (prompts, params, seeds) -> policy.generate(prompts, params, seeds, List.of());
    }
}
