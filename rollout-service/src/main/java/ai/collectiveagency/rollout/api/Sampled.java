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

    /** Generated tokens: the choices' and, with reasoning, the thinker's. */
    public int completionTokens() {
        return choices.stream().mapToInt(c -> c.tokenIds().length).sum() + reasoningTokens();
    }

    /** The thinker's tokens (0 without reasoning). */
    public int reasoningTokens() {
        return choices.stream().mapToInt(c -> c.thoughts() == null ? 0
                : c.thoughts().tokenIds().length).sum();
    }

    public Usage usage() {
        int completion = completionTokens();
        boolean reasoned = choices.stream().anyMatch(c -> c.thoughts() != null);
        return new Usage(promptTokens, completion, promptTokens + completion,
                reasoned ? new Usage.Details(reasoningTokens()) : null);
    }
}
