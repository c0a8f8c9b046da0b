package ai.collectiveagency.policy.grpo;

import ai.collectiveagency.policy.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

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
            NDArray mask = in.mask().toType(in.logp().getDataType(), false);
            TokenTerms terms = TokenTerms.of(in);
            loss = config.aggregation().reduce(tokenLosses(terms).mul(mask), mask,
                    config.maxCompletionLength(), in.tokenNormaliser());
            statistics = GrpoStatistics.measure(terms.ratio().stopGradient(), terms.kl(),
                    terms.advantages(), mask, config);
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
            loss = tokenLosses(TokenTerms.of(slice))
                    .mul(tokenWeights.toType(slice.logp().getDataType(), false)).sum();
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

    /**
     * What a token's loss is made of, in {@code logp}'s dtype.
     *
     * @param ratio [B, T] exp(logp - oldLogp); without old log-probs the sampler is the current
     *     policy: ratio 1, gradient kept
     * @param advantages [B, 1]
     * @param kl [B, T] the KL estimate, or null without reference log-probs
     */
    private record TokenTerms(NDArray ratio, NDArray advantages, NDArray kl) {

        static TokenTerms of(GrpoInputs in) {
            NDArray oldLogp = in.oldLogp() == null ? in.logp().stopGradient() : in.oldLogp();
            return new TokenTerms(in.logp().sub(oldLogp).exp(),
                    in.advantages().toType(in.logp().getDataType(), false).expandDims(1),
                    in.refLogp() == null ? null : k3(in.refLogp(), in.logp()));
        }
    }

    /** Per token: the clipped surrogate, plus beta times the KL estimate. */
    private NDArray tokenLosses(TokenTerms terms) {
        NDArray ratio = terms.ratio();
        NDArray advantages = terms.advantages();
        NDArray clipped = ratio.clip(1 - config.epsilonLow(), 1 + config.epsilonHigh());
        NDArray tokenLoss = ratio.mul(advantages).minimum(clipped.mul(advantages)).neg();
        if (config.beta() != 0) {
            tokenLoss = tokenLoss.add(Scalars.mul(terms.kl(), config.beta()));
        }
        return tokenLoss;
    }

    /** Schulman's k3 estimator of KL(policy || reference), per token: always >= 0. */
    private static NDArray k3(NDArray refLogp, NDArray logp) {
        NDArray delta = refLogp.sub(logp);
        return delta.exp().sub(delta).sub(1);
    }
}
