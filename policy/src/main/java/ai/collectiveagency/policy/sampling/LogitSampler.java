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
 * does; the walk to the draw steps over whole blocks of 256 entries by their sums (so its
 * rounding differs from one running sum by ~1e-16) and walks the block that holds it. Untruncated,
 * the draw runs over exp(logits / T - max), the probabilities times their total, so neither the
 * log-softmax nor a second exponential is taken over the row: at 32,000 entries a row took 22-35
 * µs instead of 63-82 (the AMX VM, 2026-12-06). Rows are sampled in parallel, each with its own
 * (V) scratch rows; one sampler serves one generation at a time.
 */
public final class LogitSampler {

    /** Entries per block of the inverse CDF's sums: the walk steps over whole blocks. */
    private static final int BLOCK = 256;

    private final SamplingParams params;
    private final int vocab;
    private final ParallelRange range;
    private final float[][] logprobs; // (B, V) scratch: each row's log-probs
    private final float[][] probabilities; // (B, V) scratch
    private final boolean topKCuts; // a top-k below the vocabulary: TruncatedOrder's
    private final NucleusSampling[] nuclei; // each row's top-p scratch, for top-p alone
    private final double[][] blockSums; // (B, V / BLOCK) each row's sums of BLOCK probabilities

    /** A sampler for up to {@code batch} rows of {@code vocab} logits. */
    public LogitSampler(SamplingParams params, int vocab, int batch, ParallelRange range) {
        this.params = params;
        this.vocab = vocab;
        this.range = range;
        this.logprobs = new float[batch][vocab];
        this.probabilities = new float[batch][vocab];
        this.topKCuts = params.topK() > 0 && params.topK() < vocab;
        this.nuclei = new NucleusSampling[!topKCuts && params.topP() < 1 ? batch : 0];
        this.blockSums = new double[batch][(vocab + BLOCK - 1) / BLOCK];
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
        float logSum = (float) Math.log(VectorMath.exp(lp, 0, 1f, max, p, 0, vocab));
        int id;
        if (topKCuts || params.topP() < 1) {
            VectorMath.subtract(lp, 0, max, logSum, lp, 0, vocab); // log_softmax
            VectorMath.exp(lp, 0, 1f, 0f, p, 0, vocab);
            if (topKCuts) {
                TruncatedOrder order = TruncatedOrder.of(lp, p, params);
                id = inverseCdf(order.probabilities(), order.kept(), u, order.ids(), lp,
                        blockSums[b]);
            } else {
                id = nuclei[b].choose(lp, p, (float) params.topP(), u);
            }
            chosen[b] = lp[id];
        } else {
            // p holds exp(lp - max), the probabilities times their total: the same draw
            id = inverseCdf(p, vocab, u, null, lp, blockSums[b]);
            chosen[b] = lp[id] - max - logSum;
        }
        return id;
    }

    /**
     * The index j (mapped through {@code ids} when given) with cdf[j-1] <= u·total < cdf[j] over
     * the first {@code kept} entries of {@code p}; as the engine, which counts the zero-mass
     * entries after them too, a target at or past the total picks the last entry of the order.
     * Whole blocks whose end the target lies at or past are stepped over by their sums, and the
     * block that holds it is walked entry by entry.
     */
    private int inverseCdf(float[] p, int kept, float u, int[] ids, float[] lp,
            double[] sums) {
        int blocks = (kept + BLOCK - 1) / BLOCK;
        double total = 0;
        for (int k = 0; k < blocks; k++) {
            sums[k] = sum(p, k * BLOCK, Math.min(kept, (k + 1) * BLOCK));
            total += sums[k];
        }
        float target = (float) total * u;
        double running = 0;
        int k = 0;
        for (; k < blocks && (float) (running + sums[k]) <= target; k++) {
            running += sums[k];
        }
        for (int j = k * BLOCK; j < kept; j++) {
            running += p[j];
            if ((float) running > target) {
                return ids == null ? j : ids[j];
            }
        }
        return ids == null ? vocab - 1 : LikeliestFirst.last(lp);
    }

    /** The double sum of p[from, to), in four interleaved chains (rounding differs ~1e-16). */
    private static double sum(float[] p, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = from;
        for (; j + 4 <= to; j += 4) {
            s0 += p[j];
            s1 += p[j + 1];
            s2 += p[j + 2];
            s3 += p[j + 3];
        }
        for (; j < to; j++) {
            s0 += p[j];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
