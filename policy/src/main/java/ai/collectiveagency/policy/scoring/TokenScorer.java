package ai.collectiveagency.policy.scoring;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.model.Llama;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Teacher-forced log-probabilities (and entropies) of given sequences: the trainer's primitive.
 *
 * <p>Sequences are padded (left or right) with a (B, T) attention mask; the log-prob at a padded
 * target is meaningless and must be masked by the caller's loss mask.
 */
public final class TokenScorer {

    private final Llama model;

    public TokenScorer(Llama model) {
        this.model = model;
    }

    /**
     * Scores on the engine; call inside a gradient collector to differentiate.
     *
     * @param manager owner of the results
     * @param tokens (B, T) token ids
     * @param attention (B, T) 1 for real tokens
     * @param useAdapter false scores under the reference model (adapter disabled)
     * @param withEntropy whether to compute entropies too
     */
    public TokenScores score(NDManager manager, int[][] tokens, int[][] attention,
            boolean useAdapter, boolean withEntropy) {
        return score(manager, tokens, attention, 0, useAdapter, withEntropy);
    }

    /**
     * Scores only the targets {@code tokens[b][t+1]} for {@code t >= from}: the output head, the
     * largest matmul of a small model, then skips the prompt positions nobody trains on.
     *
     * @return scores shaped (B, T-1-from)
     */
    public TokenScores score(NDManager manager, int[][] tokens, int[][] attention, int from,
            boolean useAdapter, boolean withEntropy) {
        int time = tokens[0].length;
        NDArray logits = model.forward(manager, tokens, attention, null, from, useAdapter)
                .get(new NDIndex(":, :-1, :")); // predictions of positions from+1..T-1
        NDArray logSoftmax = logits.logSoftmax(-1); // (B, T-1-from, V)
        NDArray targets = manager.create(nextTokens(tokens, from),
                new Shape(tokens.length, time - 1 - from, 1));
        NDArray logprobs = logSoftmax.gather(targets, -1).squeeze(-1);
        NDArray entropy = withEntropy ? entropy(logSoftmax.stopGradient()) : null;
        return new TokenScores(logprobs, entropy);
    }

    /** Plain-Java scores (no gradient): {@code [b][t]} = log p(tokens[b][t+1] | ...). */
    public float[][] logprobs(int[][] tokens, int[][] attention) {
        try (NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            float[] flat = score(manager, tokens, attention, true, false).logprobs()
                    .toFloatArray();
            int width = tokens[0].length - 1;
            float[][] out = new float[tokens.length][width];
            for (int b = 0; b < tokens.length; b++) {
                System.arraycopy(flat, b * width, out[b], 0, width);
            }
            return out;
        }
    }

    /** A statistic, never differentiated: no graph is kept for it. */
    private static NDArray entropy(NDArray logSoftmax) {
        return logSoftmax.exp().mul(logSoftmax).sum(new int[] {-1}).neg();
    }

    private static long[] nextTokens(int[][] tokens, int from) {
        int width = tokens[0].length - 1 - from;
        long[] next = new long[tokens.length * width];
        for (int b = 0; b < tokens.length; b++) {
            for (int t = 0; t < width; t++) {
                next[b * width + t] = tokens[b][from + t + 1];
            }
        }
        return next;
    }
}
