package ai.collectiveagency.rollout.api;

import java.util.List;

/**
 * What the policy answered to one request.
 *
 * @param policyVersion the version that generated every choice
 * @param modelName the served model's name
 * @param promptTokens prompt tokens, each prompt counted once
 * @param choices prompt-major, {@code n} per prompt
 */
public record Sampled(long policyVersion, String modelName, int promptTokens,
        List<SampledChoice> choices) {

    public int completionTokens() {
        return choices.stream().mapToInt(c -> c.tokenIds().length).sum();
    }

    public Usage usage() {
        int completion = completionTokens();
        return new Usage(promptTokens, completion, promptTokens + completion);
    }
}
