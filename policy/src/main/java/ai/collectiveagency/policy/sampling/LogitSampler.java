package ai.collectiveagency.policy.sampling;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.VectorMath;

/**
 * {@link TokenSampler}'s choices on logits held in Java: the same inverse-CDF rule over the same
 * order (vocabulary order untruncated, likeliest first when top-k or top-p truncates), so the same
 * uniforms pick the same tokens up to float rounding and the order of exactly tied log-probs.
 *
 * <pre>
 *   logits     (B, V) row-major
 *   logprobs   log_softmax(logits / T)            (T = 1 when greedy)
 *   choice     greedy: argmax; else the j with cdf[j-1] <= u·total < cdf[j]
 * </pre>
 *
 * <p>Cumulative sums accumulate in double and round each entry to float, as PyTorch's CPU cumsum
 * does. Rows are sampled in parallel, each with its own (V) scratch rows; one sampler serves one
 * generation at a time.
 */
public final class LogitSampler {

    private final SamplingParams params;
    private final int vocab;
    private final ParallelRange range;
    private final float[][] logprobs; // (B, V) scratch: each row's log-probs
    private final float[][] probabilities; // (B, V) scratch
    private final boolean topKCuts; // a top-k below the vocabulary: TruncatedOrder's
    private final NucleusSampling[] nuclei; // each row's top-p scratch, for top-p alone

    /** A sampler for up to {@code batch} rows of {@code vocab} logits. */
    public LogitSampler(SamplingParams params, int vocab, int batch, ParallelRange range) {
        this.params = params;
        this.vocab = vocab;
        this.range = range;
        this.logprobs = new float[batch][vocab];
        this.probabilities = new float[batch][vocab];
        this.topKCuts = params.topK() > 0 && params.topK() < vocab;
        this.nuclei = new NucleusSampling[!topKCuts && params.topP() < 1 ? batch : 0];
        for (int b = 0; b < nuclei.length; b++) {
            nuclei[b] = new NucleusSampling(vocab);
        }
    }

    /** Chooses one id per row of {@code logits} (B, V); {@code uniforms} one draw per row. */
    public TokenChoice choose(float[] logits, int batch, float[] uniforms) {
        long[] ids = new long[batch];
        float[] chosen = new float[batch];
        range.run(batch, 1, (start, end) -> {
            for (int b = start; b < end; b++) {
                int id = params.isGreedy() ? greedy(logits, b, chosen)
                        : sample(logits, b, uniforms[b], chosen);
                ids[b] = id;
            }
        });
        return new TokenChoice(ids, chosen);
    }

    /** The first index of the largest logit, as argmax; its log_softmax into chosen[b]. */
    private int greedy(float[] logits, int b, float[] chosen) {
        int offset = b * vocab;
        float max = VectorMath.max(logits, offset, vocab);
        float sum = VectorMath.exp(logits, offset, 1f, max, probabilities[b], 0, vocab);
        int id = 0; // stays 0 only for NaN rows
        for (int v = 0; v < vocab; v++) {
            if (logits[offset + v] == max) {
                id = v;
                break;
            }
        }
        chosen[b] = logits[offset + id] - max - (float) Math.log(sum);
        return id;
    }

    private int sample(float[] logits, int b, float u, float[] chosen) {
        float[] lp = logprobs[b];
        float[] p = probabilities[b];
        VectorMath.divide(logits, b * vocab, (float) params.temperature(), lp, 0, vocab);
        float max = VectorMath.max(lp, 0, vocab);
        float sum = VectorMath.exp(lp, 0, 1f, max, p, 0, vocab);
        VectorMath.subtract(lp, 0, max, (float) Math.log(sum), lp, 0, vocab); // log_softmax
        VectorMath.exp(lp, 0, 1f, 0f, p, 0, vocab);
        int id;
        if (topKCuts) {
            TruncatedOrder order = TruncatedOrder.of(lp, p, params);
            id = inverseCdf(order.probabilities(), order.kept(), u, order.ids(), lp);
        } else if (params.topP() < 1) {
            id = nuclei[b].choose(lp, p, (float) params.topP(), u);
        } else {
            id = inverseCdf(p, vocab, u, null, lp);
        }
        chosen[b] = lp[id];
        return id;
    }

    /**
     * The index j (mapped through {@code ids} when given) with cdf[j-1] <= u·total < cdf[j] over
     * the first {@code kept} entries of {@code p}; as the engine, which counts the zero-mass
     * entries after them too, a target at or past the total picks the last entry of the order.
     */
    private int inverseCdf(float[] p, int kept, float u, int[] ids, float[] lp) {
        float target = (float) total(p, kept) * u;
        double running = 0;
        for (int j = 0; j < kept; j++) {
            running += p[j];
            if ((float) running > target) {
                return ids == null ? j : ids[j];
            }
        }
        return ids == null ? vocab - 1 : LikeliestFirst.last(lp);
    }

    /** The double sum of p[0, n), in four interleaved chains (rounding differs ~1e-16). */
    private static double total(float[] p, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += p[j];
            s1 += p[j + 1];
            s2 += p[j + 2];
            s3 += p[j + 3];
        }
        for (; j < n; j++) {
            s0 += p[j];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
