package ai.collectiveagency.policy.training;

import ai.collectiveagency.policy.grpo.GrpoInputs;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * A micro-batch's per-token inputs of the GRPO loss, flattened to one row per scored position
 * (row-major over B x T), so that a slice of positions gets inputs of its own, shaped [n, 1]
 * (see {@code TokenScorer.scoreAndBackward}).
 *
 * @param oldLogp (B x T, 1) or null
 * @param refLogp (B x T, 1) or null
 * @param mask (B x T, 1)
 * @param advantages (B x T): each position carries its sequence's advantage
 * @param weights (B x T, 1): each token's weight in the aggregated loss
 */
record ScoredPositions(NDArray oldLogp, NDArray refLogp, NDArray mask, NDArray advantages,
        NDArray weights) {

    /**
     * @param oldLogp [B, T] or null
     * @param refLogp [B, T] or null
     * @param mask [B, T]
     * @param advantages [B]
     * @param weights [B, T]
     */
    static ScoredPositions of(NDArray oldLogp, NDArray refLogp, NDArray mask, NDArray advantages,
            NDArray weights) {
        return new ScoredPositions(column(oldLogp), column(refLogp), column(mask),
                advantages.expandDims(1).broadcast(mask.getShape()).reshape(mask.size()),
                column(weights));
    }

    /** The loss's inputs for the positions {@code rows}, with their log-probs (n, 1). */
    GrpoInputs inputs(NDArray logprobs, NDIndex rows) {
        return GrpoInputs.of(logprobs, oldLogp == null ? null : oldLogp.get(rows),
                refLogp == null ? null : refLogp.get(rows), mask.get(rows),
                advantages.get(rows));
    }

    NDArray weights(NDIndex rows) {
        return weights.get(rows);
    }

    private static NDArray column(NDArray perToken) {
        return perToken == null ? null : perToken.reshape(perToken.size(), 1);
    }
}
