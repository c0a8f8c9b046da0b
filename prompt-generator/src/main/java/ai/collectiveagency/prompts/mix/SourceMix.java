package ai.collectiveagency.prompts.mix;

import ai.collectiveagency.prompts.combinatorial.Mix;
import ai.collectiveagency.schemas.PromptTask;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Picks, for each task index, the source that makes it: the LLM source with probability
 * {@code llmShare}, else the combinatorial one. The pick depends only on the seed and the index,
 * so a run is reproducible whatever the endpoint answers.
 */
public final class SourceMix implements LongFunction<Optional<PromptTask>> {

    private final LongFunction<PromptTask> combinatorial;
    private final LongFunction<Optional<PromptTask>> llm;
    private final double llmShare;
    private final long seed;

    /**
     * @param llm the LLM source, or null when {@code llmShare} is 0
     * @param llmShare share of indices the LLM source makes, in [0, 1]
     */
    public SourceMix(LongFunction<PromptTask> combinatorial, LongFunction<Optional<PromptTask>> llm,
            double llmShare, long seed) {
        if (!(llmShare >= 0 && llmShare <= 1)) {
            throw new IllegalArgumentException("LLM share must lie in [0, 1], was " + llmShare);
        }
        if (llm == null && llmShare > 0) {
            throw new IllegalArgumentException("an LLM share above 0 needs an LLM source");
        }
        this.combinatorial = combinatorial;
        this.llm = llm;
        this.llmShare = llmShare;
        this.seed = seed;
    }

    /** Only the combinatorial source. */
    public static SourceMix combinatorialOnly(LongFunction<PromptTask> combinatorial) {
        return new SourceMix(combinatorial, null, 0, 0);
    }

    @Override
    public Optional<PromptTask> apply(long index) {
        return usesLlm(index) ? llm.apply(index) : Optional.of(combinatorial.apply(index));
    }

    /** Whether the LLM source makes task {@code index}. */
    public boolean usesLlm(long index) {
        if (llmShare == 0) {
            return false;
        }
        long bits = Mix.mix64(seed ^ 0x5851f42d4c957f2dL ^ Mix.mix64(index)) >>> 11;
        return bits * 0x1.0p-53 < llmShare;
    }
}
