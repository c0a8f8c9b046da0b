package ai.collectiveagency.policy.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Picks next tokens from a batch of logits on the engine, by inverse-CDF sampling with uniforms
 * drawn in Java from each sequence's own seeded stream.
 *
 * <p>Only the chosen ids and their log-probs cross back to Java, never the (B, V) distribution.
 */
final class TokenSampler {

    private TokenSampler() {}

    /** {@code logits} (B, V); {@code uniforms} one draw in [0, 1) per row (unused when greedy). */
    static TokenChoice choose(NDArray logits, SamplingParams params, float[] uniforms) {
        NDArray ids;
        NDArray logprobs;
        if (params.isGreedy()) {
            logprobs = logits.logSoftmax(-1);
            ids = logits.argMax(-1).expandDims(-1); // (B, 1)
        } else {
            logprobs = logits.div(params.temperature()).logSoftmax(-1);
            NDArray u = logits.getManager().create(uniforms, new Shape(uniforms.length, 1));
            ids = params.truncates() ? truncated(logprobs, params, u)
                    : inverseCdf(logprobs.exp(), u);
        }
        NDArray chosen = logprobs.gather(ids, -1); // (B, 1)
        return new TokenChoice(ids.toType(DataType.INT64, false).toLongArray(), chosen.toFloatArray());
    }

    /** Index j of each row with cdf[j-1] <= u * total < cdf[j]; zero-mass entries are skipped. */
    private static NDArray inverseCdf(NDArray probabilities, NDArray u) {
        NDArray cdf = probabilities.cumSum(-1);
        NDArray target = cdf.get(new NDIndex(":, -1:")).mul(u);
        long last = probabilities.getShape().get(1) - 1;
        return cdf.lte(target).sum(new int[] {-1}, true).toType(DataType.INT64, false)
                .minimum(last);
    }

    /** Top-k then top-p in the sorted order, renormalised, then inverse CDF. */
    private static NDArray truncated(NDArray logprobs, SamplingParams params, NDArray u) {
        NDArray order = logprobs.argSort(-1, false); // (B, V) likeliest first
        NDArray sorted = logprobs.gather(order, -1).exp();
        long vocab = logprobs.getShape().get(1);
        if (params.topK() > 0 && params.topK() < vocab) {
            NDArray rank = logprobs.getManager().arange(0, (int) vocab, 1, DataType.INT64);
            sorted = sorted.mul(rank.lt(params.topK()).toType(DataType.FLOAT32, false));
            sorted = sorted.div(sorted.sum(new int[] {-1}, true));
        }
        if (params.topP() < 1) {
            NDArray before = sorted.cumSum(-1).sub(sorted); // mass of likelier tokens
            sorted = sorted.mul(before.lt(params.topP()).toType(DataType.FLOAT32, false));
        }
        return order.gather(inverseCdf(sorted, u), -1);
    }
}
