package ai.collectiveagency.policy.grpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One micro-batch for {@link GrpoLoss}: B completions padded to T tokens.
 *
 * <p>Invariant: {@code logp}, {@code oldLogp}, {@code refLogp} and {@code mask} share the shape
 * {@code [B, T]}; {@code advantages} is {@code [B]}. Log-probs at padded positions must be finite
 * (they are multiplied by a zero mask).
 *
 * @param logp {@code [B, T]} log-probs of the sampled tokens under the policy being trained;
 *     requires a gradient
 * @param oldLogp {@code [B, T]} log-probs under the policy that sampled the tokens, or null when
 *     this is the first optimisation step on these samples (the ratio is then exactly 1)
 * @param refLogp {@code [B, T]} log-probs under the frozen reference policy, or null; needed when
 *     {@link GrpoConfig#beta()} is not 0
 * @param mask {@code [B, T]} 1 for completion tokens, 0 for padding
 * @param advantages {@code [B]} one advantage per completion (see {@link AdvantageEstimator})
 * @param tokenNormaliser the masked-token count of the whole accumulated batch, used by
 *     {@link LossAggregation#DAPO}; empty means this micro-batch is the whole batch
 */
public record GrpoInputs(
        NDArray logp,
        NDArray oldLogp,
        NDArray refLogp,
        NDArray mask,
        NDArray advantages,
        OptionalDouble tokenNormaliser) {

    public GrpoInputs {
        Objects.requireNonNull(logp, "logp must not be null");
        Objects.requireNonNull(mask, "mask must not be null");
        Objects.requireNonNull(advantages, "advantages must not be null");
        Objects.requireNonNull(tokenNormaliser, "tokenNormaliser must not be null (use empty)");
        Shape shape = logp.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("logp must be [B, T], got " + shape);
        }
        requireShape("oldLogp", oldLogp, shape);
        requireShape("refLogp", refLogp, shape);
        requireShape("mask", mask, shape);
        requireShape("advantages", advantages, new Shape(shape.get(0)));
        if (tokenNormaliser.isPresent() && !(tokenNormaliser.getAsDouble() > 0)) {
            throw new IllegalArgumentException(
                    "tokenNormaliser must be > 0, got " + tokenNormaliser.getAsDouble());
        }
    }

    /** A micro-batch that is the whole batch (no gradient accumulation). */
    public static GrpoInputs of(
            NDArray logp, NDArray oldLogp, NDArray refLogp, NDArray mask, NDArray advantages) {
        return new GrpoInputs(logp, oldLogp, refLogp, mask, advantages, OptionalDouble.empty());
    }

    /** The same micro-batch, normalised by the token count of the whole accumulated batch. */
    public GrpoInputs withTokenNormaliser(double accumulatedTokens) {
        return new GrpoInputs(logp, oldLogp, refLogp, mask, advantages,
                OptionalDouble.of(accumulatedTokens));
    }

    private static void requireShape(String field, NDArray array, Shape expected) {
        if (array != null && !array.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    field + " must have shape " + expected + ", got " + array.getShape());
        }
    }
}
