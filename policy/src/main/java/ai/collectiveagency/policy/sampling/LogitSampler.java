package ai.collectiveagency.policy.sampling;

import ai.collectiveagency.policy.decode.VectorMath;

/**
 * {@link TokenSampler}'s choices on logits held in Java: the same inverse-CDF rule over the same
 * order (vocabulary order untruncated, likeliest first when top-k or top-p truncates), so the same
 * uniforms pick the same tokens up to float rounding.
 *
 * <pre>
 *   logits     (B, V) row-major
 *   logprobs   log_softmax(logits / T)            (T = 1 when greedy)
 *   choice     greedy: argmax; else the j with cdf[j-1] <= u·total < cdf[j]
 * </pre>
 *
 * <p>Cumulative sums accumulate in double and round each entry to float, as PyTorch's CPU cumsum
 * does. Not thread-safe: it reuses one (V) scratch row.
 */
final class LogitSampler {

    private final SamplingParams params;
    private final int vocab;
    private final float[] logprobs; // (V) scratch: the current row's log-probs
    private final float[] probabilities; // (V) scratch

    LogitSampler(SamplingParams params, int vocab) {
        this.params = params;
        this.vocab = vocab;
        this.logprobs = new float[vocab];
        this.probabilities = new float[vocab];
    }

    /** Chooses one id per row of {@code logits} (B, V); {@code uniforms} one draw per row. */
    TokenSampler.Choice choose(float[] logits, int batch, float[] uniforms) {
        long[] ids = new long[batch];
        float[] chosen = new float[batch];
        for (int b = 0; b < batch; b++) {
            logSoftmax(logits, b * vocab);
            int id = params.isGreedy() ? argMax(logits, b * vocab) : sample(uniforms[b]);
            ids[b] = id;
            chosen[b] = logprobs[id];
        }
        return new TokenSampler.Choice(ids, chosen);
    }

    /** Fills {@code logprobs} with log_softmax(row / T) and {@code probabilities} with exp. */
    private void logSoftmax(float[] logits, int offset) {
        float temperature = params.isGreedy() ? 1f : (float) params.temperature();
        for (int v = 0; v < vocab; v++) {
            logprobs[v] = logits[offset + v] / temperature;
        }
        float max = VectorMath.max(logprobs, 0, vocab);
        float sum = VectorMath.exp(logprobs, 0, 1f, max, probabilities, 0, vocab);
        float logSum = (float) Math.log(sum);
        for (int v = 0; v < vocab; v++) {
            logprobs[v] = logprobs[v] - max - logSum;
        }
        VectorMath.exp(logprobs, 0, 1f, 0f, probabilities, 0, vocab);
    }

    /** The first index of the largest logit, as argmax. */
    private int argMax(float[] logits, int offset) {
        float max = VectorMath.max(logits, offset, vocab);
        for (int v = 0; v < vocab; v++) {
            if (logits[offset + v] == max) {
                return v;
            }
        }
        return 0; // only for NaN rows
    }

    private int sample(float u) {
        if (!params.truncates()) {
            return inverseCdf(probabilities, vocab, u, null);
        }
        TruncatedOrder order = TruncatedOrder.of(logprobs, probabilities, params);
        return inverseCdf(order.probabilities(), order.kept(), u, order.ids());
    }

    /**
     * The index j (mapped through {@code ids} when given) with cdf[j-1] <= u·total < cdf[j] over
     * the first {@code kept} entries of {@code p}; as the engine, which counts the zero-mass
     * entries after them too, a target at or past the total picks the last entry of the order.
     */
    private int inverseCdf(float[] p, int kept, float u, int[] ids) {
        double running = 0;
        for (int j = 0; j < kept; j++) {
            running += p[j];
        }
        float target = (float) running * u;
        running = 0;
        for (int j = 0; j < kept; j++) {
            running += p[j];
            if ((float) running > target) {
                return ids == null ? j : ids[j];
            }
        }
        return ids == null ? vocab - 1 : TruncatedOrder.last(logprobs);
    }
}
