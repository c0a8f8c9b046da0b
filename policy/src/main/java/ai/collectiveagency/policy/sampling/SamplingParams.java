package ai.collectiveagency.policy.sampling;

/**
 * How to pick each next token.
 *
 * @param maxNewTokens most tokens to generate per sequence
 * @param temperature logits are divided by it; 0 means greedy
 * @param topP nucleus sampling: keep the smallest set of likeliest tokens whose mass reaches it
 *     (1 keeps all)
 * @param topK keep only the k likeliest tokens (0 keeps all); applied before top-p, as in
 *     Hugging Face
 * @param seed seeds each sequence's random stream: the same seed and prompts give the same tokens,
 *     whatever else shares the batch
 */
public record SamplingParams(int maxNewTokens, double temperature, double topP, int topK,
        long seed) {

    public SamplingParams {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be at least 1, got "
                    + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        }
    }

    /** Always the likeliest token. */
    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(maxNewTokens, 0, 1, 0, 0);
    }

    /** Plain sampling at {@code temperature}, no truncation. */
    public static SamplingParams sample(int maxNewTokens, double temperature, long seed) {
        return new SamplingParams(maxNewTokens, temperature, 1, 0, seed);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    /** Whether top-k or top-p removes part of the distribution. */
    boolean truncates() {
        return topP < 1 || topK > 0;
    }
}
