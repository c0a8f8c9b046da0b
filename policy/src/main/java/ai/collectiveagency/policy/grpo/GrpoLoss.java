package ai.collectiveagency.policy.grpo;

import ai.collectiveagency.policy.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The GRPO objective with Hugging Face TRL's semantics (Shao et al. 2024; clip-higher and
 * token-level aggregation from DAPO, Yu et al. 2025; Dr. GRPO, Liu et al. 2025).
 *
 * <p>Per token, with {@code ratio = exp(logp - oldLogp)} and the completion's advantage A:
 * <pre>
 *   loss_t = -min(ratio * A, clip(ratio, 1 - epsLow, 1 + epsHigh) * A)
 *            + beta * (exp(ref - logp) - (ref - logp) - 1)
 * </pre>
 * then reduced over the masked tokens by the configured {@link LossAggregation}.
 *
 * <p>Shapes: {@code logp, oldLogp, refLogp, mask [B, T]}, {@code advantages [B]}, loss {@code []}.
 * All arithmetic happens in {@code logp}'s dtype and manager; intermediates are closed before
 * returning. Usage:
 * <pre>{@code
 * GrpoLoss objective = new GrpoLoss(GrpoConfig.negotiationDefaults(512));
 * try (GradientCollector collector = engine.newGradientCollector()) {
 *     GrpoLossResult result = objective.compute(GrpoInputs.of(logp, old, null, mask, adv));
 *     collector.backward(result.loss());
 * }
 * }</pre>
 */
public final class GrpoLoss {

    private final GrpoConfig config;

    public GrpoLoss(GrpoConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /** Computes the loss of one micro-batch and its statistics. */
    public GrpoLossResult compute(GrpoInputs in) {
        requireReference(in);
        NDArray loss;
        GrpoStatistics statistics;
        try (NDScope scope = new NDScope()) {
            DataType type = in.logp().getDataType();
            NDArray mask = in.mask().toType(type, false);
            NDArray advantages = in.advantages().toType(type, false).expandDims(1); // [B, 1]
            NDArray ratio = ratio(in);
            NDArray kl = in.refLogp() == null ? null : k3(in.refLogp(), in.logp());
            loss = config.aggregation().reduce(tokenLosses(ratio, advantages, kl).mul(mask),
                    mask, config.maxCompletionLength(), in.tokenNormaliser());
            statistics = GrpoStatistics.measure(ratio.stopGradient(), kl, advantages, mask, config);
            NDScope.unregister(loss);
        }
        // Hand the loss to the caller's scope, if any, like any other DJL result.
        NDScope.register(loss);
        return new GrpoLossResult(loss, statistics);
    }

    /**
     * The loss of the inputs' tokens weighted by {@code tokenWeights} and summed: with the
     * aggregation's {@link #tokenWeights} of the whole micro-batch, the sum over any partition
     * of its tokens into slices equals {@link #compute}'s loss, so each slice can be
     * back-propagated on its own.
     */
    public NDArray weightedSum(GrpoInputs slice, NDArray tokenWeights) {
        requireReference(slice);
        NDArray loss;
        try (NDScope scope = new NDScope()) {
            DataType type = slice.logp().getDataType();
            NDArray advantages = slice.advantages().toType(type, false).expandDims(1);
            NDArray kl = slice.refLogp() == null ? null : k3(slice.refLogp(), slice.logp());
            loss = tokenLosses(ratio(slice), advantages, kl)
                    .mul(tokenWeights.toType(type, false)).sum();
            NDScope.unregister(loss);
        }
        NDScope.register(loss);
        return loss;
    }

    /**
     * {@code [B, T]} weight of each token's loss in the aggregated loss of a micro-batch with
     * this {@code mask} (float) and token normaliser (see {@link GrpoInputs#tokenNormaliser}).
     */
    public NDArray tokenWeights(NDArray mask, OptionalDouble tokenNormaliser) {
        return config.aggregation().tokenWeights(mask, config.maxCompletionLength(),
                tokenNormaliser);
    }

    private void requireReference(GrpoInputs in) {
        if (config.beta() != 0 && in.refLogp() == null) {
            throw new IllegalArgumentException(
                    "refLogp is required when beta is not 0 (beta = " + config.beta() + ")");
        }
    }

    /** exp(logp - oldLogp); without old log-probs the sampler is the current policy: ratio 1. */
    private static NDArray ratio(GrpoInputs in) {
        NDArray oldLogp = in.oldLogp() == null ? in.logp().stopGradient() : in.oldLogp();
        return in.logp().sub(oldLogp).exp(); // [B, T]
    }

    /** Per token: the clipped surrogate, plus beta times the KL estimate. */
    private NDArray tokenLosses(NDArray ratio, NDArray advantages, NDArray kl) {
        NDArray clipped = ratio.clip(1 - config.epsilonLow(), 1 + config.epsilonHigh());
        NDArray tokenLoss = ratio.mul(advantages).minimum(clipped.mul(advantages)).neg();
        if (config.beta() != 0) {
            tokenLoss = tokenLoss.add(Scalars.mul(kl, config.beta()));
        }
        return tokenLoss;
    }

    /** Schulman's k3 estimator of KL(policy || reference), per token: always >= 0. */
    private static NDArray k3(NDArray refLogp, NDArray logp) {
        NDArray delta = refLogp.sub(logp);
        return delta.exp().sub(delta).sub(1);
    }
}
