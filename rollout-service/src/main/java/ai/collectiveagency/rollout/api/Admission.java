package ai.collectiveagency.rollout.api;

import java.util.List;

/**
 * A request the policy worker took: the prompts fit the context and generation begins. What a
 * stream's first chunks need.
 *
 * @param policyVersion the version that generates every choice
 * @param modelName the served model's name
 * @param promptIds each choice's prompt ids, prompt-major
 */
record Admission(long policyVersion, String modelName, List<int[]> promptIds) {

    static Admission of(Sampled sampled) {
        return new Admission(sampled.policyVersion(), sampled.modelName(),
                sampled.choices().stream().map(SampledChoice::promptIds).toList());
    }
}
