package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.sampling.SamplingParams;

/**
 * How one kind of completion is sampled.
 *
 * @param temperature logits are divided by it (0: greedy)
 * @param topP nucleus threshold in (0, 1]
 * @param maxTokens most tokens of one completion
 */
public record TurnSampling(double temperature, double topP, int maxTokens) {

    public TurnSampling {
        // SamplingParams states what is wrong with a bad value (fields are not yet assigned here).
        new SamplingParams(maxTokens, temperature, topP, 0, 0);
    }

    /** The same budget, decoded greedily (temperature 0). */
    public TurnSampling greedy() {
        return new TurnSampling(0, 1, maxTokens);
    }

    /**
     * The policy's sampling settings; their seed is unused because every sequence gets its own
     * (see {@link SequenceSeeds}).
     */
    public SamplingParams params() {
        return new SamplingParams(maxTokens, temperature, topP, 0, 0);
    }
}
