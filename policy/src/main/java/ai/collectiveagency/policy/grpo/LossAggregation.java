package ai.collectiveagency.policy.grpo;

import ai.collectiveagency.policy.engine.Scalars;
import ai.djl.ndarray.NDArray;

import java.util.OptionalDouble;

/**
 * How the per-token GRPO losses of a micro-batch become one scalar (TRL's {@code loss_type}).
 *
 * <p>Every variant receives the masked per-token loss {@code [B, T]} (zero on padding) and the
 * mask {@code [B, T]}, and returns a scalar in the loss's manager. Denominators that count tokens
 * are clamped to at least 1, as TRL does, so an all-padding micro-batch gives 0, not NaN.
 */
public enum LossAggregation {

    /** Mean over each sequence's tokens, then mean over sequences (the GRPO paper). */
    GRPO {
        @Override
        NDArray reduce(NDArray maskedLoss, NDArray mask, int maxLength, OptionalDouble tokens) {
            int[] time = {1};
            NDArray perSequence = maskedLoss.sum(time).div(mask.sum(time).maximum(1)); // [B]
            return perSequence.mean();
        }

        @Override
        NDArray tokenWeights(NDArray mask, int maxLength, OptionalDouble tokens) {
            int[] time = {1};
            double batch = mask.getShape().get(0);
            return mask.div(Scalars.mul(mask.sum(time, true).maximum(1), batch));
        }
    },

    /** Sum over all tokens / number of tokens in the micro-batch: every token weighs the same. */
    BNPO {
        @Override
        NDArray reduce(NDArray maskedLoss, NDArray mask, int maxLength, OptionalDouble tokens) {
            return maskedLoss.sum().div(mask.sum().maximum(1));
        }

        @Override
        NDArray tokenWeights(NDArray mask, int maxLength, OptionalDouble tokens) {
            return mask.div(mask.sum().maximum(1));
        }
    },

    /**
     * Sum / (B * maxCompletionLength): a constant denominator, free of length bias (Dr. GRPO,
     * Liu et al. 2025).
     */
    DR_GRPO {
        @Override
        NDArray reduce(NDArray maskedLoss, NDArray mask, int maxLength, OptionalDouble tokens) {
            double batch = maskedLoss.getShape().get(0);
            return Scalars.div(maskedLoss.sum(), batch * maxLength);
        }

        @Override
        NDArray tokenWeights(NDArray mask, int maxLength, OptionalDouble tokens) {
            return Scalars.div(mask, (double) mask.getShape().get(0) * maxLength);
        }
    },

    /**
     * Sum / tokens of the whole accumulated batch (DAPO, Yu et al. 2025): with gradient
     * accumulation the caller passes the masked-token count across all micro-batches, so the
     * accumulated gradient equals one big batch's; without it this is {@link #BNPO}.
     */
    DAPO {
        @Override
        NDArray reduce(NDArray maskedLoss, NDArray mask, int maxLength, OptionalDouble tokens) {
            if (tokens.isEmpty()) {
                return BNPO.reduce(maskedLoss, mask, maxLength, tokens);
            }
            return Scalars.div(maskedLoss.sum(), tokens.getAsDouble());
        }

        @Override
        NDArray tokenWeights(NDArray mask, int maxLength, OptionalDouble tokens) {
            return tokens.isEmpty() ? BNPO.tokenWeights(mask, maxLength, tokens)
                    : Scalars.div(mask, tokens.getAsDouble());
        }
    };

    /**
     * @param maskedLoss {@code [B, T]} per-token loss, zero where {@code mask} is 0
     * @param mask {@code [B, T]} 1 for completion tokens, 0 for padding; same dtype as the loss
     * @param maxLength the configured maximum completion length
     * @param tokens the caller's token normaliser, used by {@link #DAPO} only
     * @return the scalar loss
     */
    abstract NDArray reduce(NDArray maskedLoss, NDArray mask, int maxLength, OptionalDouble tokens);

    /**
     * Every variant is linear in the per-token losses: {@code reduce(loss * mask)} equals
     * {@code sum(loss * tokenWeights(mask))}. The weights let a caller sum the loss a slice of
     * tokens at a time (see {@code TokenScorer.scoreAndBackward}).
     *
     * @return {@code [B, T]} weights, zero where {@code mask} is 0
     */
    abstract NDArray tokenWeights(NDArray mask, int maxLength, OptionalDouble tokens);
}
