package ai.collectiveagency.policy.grpo;

import ai.collectiveagency.policy.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

import java.util.Objects;

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
        if (config.beta() != 0 && in.refLogp() == null) {
            throw new IllegalArgumentException(
                    "refLogp is required when beta is not 0 (beta = " + config.beta() + ")");
        }
        NDArray loss;
        GrpoStatistics statistics;
        try (NDScope scope = new NDScope()) {
            DataType type = in.logp().getDataType();
            NDArray mask = in.mask().toType(type, false);
            NDArray advantages = in.advantages().toType(type, false).expandDims(1); // [B, 1]
            // Without old log-probs the sampling policy is the current one: ratio 1, gradient kept.
            NDArray oldLogp = in.oldLogp() == null ? in.logp().stopGradient() : in.oldLogp();
            NDArray ratio = in.logp().sub(oldLogp).exp(); // [B, T]
            NDArray clipped = ratio.clip(1 - config.epsilonLow(), 1 + config.epsilonHigh());
            NDArray tokenLoss = ratio.mul(advantages).minimum(clipped.mul(advantages)).neg();
            NDArray kl = in.refLogp() == null ? null : k3(in.refLogp(), in.logp());
            if (config.beta() != 0) {
                tokenLoss = tokenLoss.add(Scalars.mul(kl, config.beta()));
            }
            loss = config.aggregation().reduce(tokenLoss.mul(mask), mask,
                    config.maxCompletionLength(), in.tokenNormaliser());
            statistics = GrpoStatistics.measure(ratio.stopGradient(), kl, advantages, mask, config);
            NDScope.unregister(loss);
        }
        // Hand the loss to the caller's scope, if any, like any other DJL result.
        NDScope.register(loss);
        return new GrpoLossResult(loss, statistics);
    }

    /** Schulman's k3 estimator of KL(policy || reference), per token: always >= 0. */
    private static NDArray k3(NDArray refLogp, NDArray logp) {
        NDArray delta = refLogp.sub(logp);
        return delta.exp().sub(delta).sub(1);
    }
}
