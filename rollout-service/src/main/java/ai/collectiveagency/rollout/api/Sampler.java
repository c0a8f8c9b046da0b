package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link GenerationJob} on the policy: encodes the prompts, checks that each fits the
 * model's context with its token budget, samples all choices in one batch (each from its own
 * seed, so a choice does not depend on its batch-mates) and builds the choices. A
 * {@link ai.collectiveagency.rollout.serving.PolicyRunner} job: only the worker may call it.
 */
final class Sampler {

    private Sampler() {
    }

    static Sampled sample(ServedPolicy served, GenerationJob job, int defaultMaxTokens) {
        Policy policy = served.policy();
        int context = policy.model().config().maxPositions();
        List<int[]> prompts = new ArrayList<>();
        int longest = 0;
        int promptTokens = 0;
        for (GenerationJob.PromptSource source : job.prompts()) {
            int[] ids = source.encode(policy);
            prompts.add(ids);
            longest = Math.max(longest, ids.length);
            promptTokens += ids.length;
        }
        int maxTokens = job.maxTokens() != null ? job.maxTokens()
                : Math.min(defaultMaxTokens, context - longest);
        if (longest + Math.max(maxTokens, 1) > context) {
            throw ApiException.contextLength(longest, Math.max(maxTokens, 1), context);
        }
        List<int[]> batch = new ArrayList<>();
        for (int[] prompt : prompts) {
            for (int j = 0; j < job.n(); j++) {
                batch.add(prompt);
            }
        }
        SamplingParams params = new SamplingParams(maxTokens, job.temperature(), job.topP(), 0, 0);
        List<Generation> generations = policy.generate(batch, params, job.seeds(), job.stops());
        List<SampledChoice> choices = new ArrayList<>();
        for (int k = 0; k < batch.size(); k++) {
            int prompt = k / job.n();
            choices.add(SampledChoice.of(policy, prompt, prompts.get(prompt), generations.get(k),
                    job));
        }
        return new Sampled(served.version(), served.modelName(), promptTokens, choices);
    }
}
