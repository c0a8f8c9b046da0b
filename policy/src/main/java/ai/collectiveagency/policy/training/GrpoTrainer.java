package ai.collectiveagency.policy.training;

import ai.collectiveagency.policy.engine.Scalars;
import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.grpo.GrpoConfig;
import ai.collectiveagency.policy.grpo.GrpoInputs;
import ai.collectiveagency.policy.grpo.GrpoLoss;
import ai.collectiveagency.policy.grpo.GrpoLossResult;
import ai.collectiveagency.policy.grpo.LossAggregation;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.optim.AdamW;
import ai.collectiveagency.policy.optim.GradientClipping;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.collectiveagency.policy.scoring.TokenScores;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.List;
import java.util.OptionalDouble;

/**
 * One GRPO optimiser step over micro-batches: score with gradients, loss, backward (gradients
 * accumulate), clip, AdamW, zero.
 *
 * <p>The reference model for the KL term is the policy with its adapter disabled (LoRA), or a
 * separate frozen model (full fine-tuning). Every micro-batch runs in its own {@link NDScope}; the
 * optimiser update runs outside it, so memory stays flat over a run.
 */
public final class GrpoTrainer {

    private final Llama policy;
    private final Llama reference; // null: the policy without its adapter
    private final GrpoConfig config;
    private final GrpoLoss loss;
    private final AdamW optimizer;
    private final double maxGradNorm;
    /** One for the run: it keeps the Java head's buffers from step to step. */
    private final TokenScorer scorer;

    /**
     * @param policy the model being trained (its trainable arrays are the optimiser's)
     * @param reference frozen reference model, or null to use {@code policy} with its adapter off
     * @param maxGradNorm global-norm clipping threshold ({@code Double.POSITIVE_INFINITY}: none)
     */
    public GrpoTrainer(Llama policy, Llama reference, GrpoConfig config, AdamW optimizer,
            double maxGradNorm) {
        if (config.beta() != 0 && reference == null && policy.adapter() == null) {
            throw new IllegalArgumentException("beta " + config.beta() + " needs a reference "
                    + "model: train a LoRA adapter (the base is the reference) or pass a frozen "
                    + "copy for full fine-tuning");
        }
        this.policy = policy;
        this.reference = reference;
        this.config = config;
        this.loss = new GrpoLoss(config);
        this.optimizer = optimizer;
        this.maxGradNorm = maxGradNorm;
        this.scorer = new TokenScorer(policy);
    }

    /** Accumulates gradients over {@code microBatches}, then takes one optimiser step. */
    public StepResult step(List<TrainingBatch> microBatches) {
        long tokens = microBatches.stream().mapToLong(TrainingBatch::maskedTokens).sum();
        double lossSum = 0;
        double klSum = 0;
        double clipSum = 0;
        double entropySum = 0;
        for (TrainingBatch batch : microBatches) {
            MicroResult r = backward(batch, tokens, microBatches.size());
            lossSum += r.loss();
            klSum += r.meanKl() * r.tokens();
            clipSum += r.clipFraction() * r.tokens();
            entropySum += r.entropy() * r.tokens();
        }
        double norm = GradientClipping.globalNorm(optimizer.parameters());
        boolean skip = !Double.isFinite(norm);
        // clipped as the update reads each gradient, not in a pass of its own
        double lr = skip ? 0 : optimizer.step(GradientClipping.scaleFor(norm, maxGradNorm));
        optimizer.zeroGradients();
        double n = Math.max(tokens, 1);
        return new StepResult(lossSum, norm, skip, lr, klSum / n, clipSum / n, entropySum / n,
                tokens);
    }

    private record MicroResult(double loss, double meanKl, double clipFraction, double entropy,
            long tokens) {}

    private MicroResult backward(TrainingBatch batch, long batchTokens, int microBatches) {
        try (NDManager manager = policy.newStepManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            int from = batch.firstScoredTarget();
            Shape shape = new Shape(batch.tokens().length, batch.tokens()[0].length - 1 - from);
            NDArray mask = manager.create(TrainingBatch.flatten(batch.lossMask(), from), shape);
            NDArray old = batch.oldLogprobs() == null ? null
                    : manager.create(TrainingBatch.flatten(batch.oldLogprobs(), from), shape);
            NDArray advantages = manager.create(toFloats(batch.advantages()));
            NDArray ref = config.beta() == 0 ? null : referenceLogprobs(manager, batch, from);
            OptionalDouble normaliser = config.aggregation() == LossAggregation.DAPO
                    ? OptionalDouble.of(Math.max(batchTokens, 1)) : OptionalDouble.empty();
            // DAPO's normaliser already spans the micro-batches; the others are averaged, as TRL
            double share = config.aggregation() == LossAggregation.DAPO ? 1 : 1.0 / microBatches;
            ScoredPositions positions = ScoredPositions.of(old, ref, mask, advantages,
                    Scalars.mul(loss.tokenWeights(mask, normaliser), share));
            TokenScores scores;
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                scores = scorer.scoreAndBackward(manager, batch.tokens(),
                        batch.attention(), from, true, true, collector,
                        (logprobs, rows) -> loss.weightedSum(positions.inputs(logprobs, rows),
                                positions.weights(rows)));
            }
            // The loss's value and statistics from the detached log-probs: the same arithmetic
            // as the gradient's, over the whole micro-batch at once.
            GrpoLossResult result = loss.compute(new GrpoInputs(scores.logprobs(), old, ref, mask,
                    advantages, normaliser));
            double entropy = scalar(scores.entropy().mul(mask).sum())
                    / Math.max(1, batch.maskedTokens());
            return new MicroResult(scalar(result.loss()) * share,
                    result.statistics().meanKl(), result.statistics().clipFraction(), entropy,
                    batch.maskedTokens());
        }
    }

    /**
     * The reference model's log-probs, which nothing differentiates: autograd records nothing
     * (on a service's worker thread grad mode is on), so the pass also attends in Java.
     */
    private NDArray referenceLogprobs(NDManager manager, TrainingBatch batch, int from) {
        Llama model = reference != null ? reference : policy;
        try (NoGradient noGradient = new NoGradient()) {
            return new TokenScorer(model).score(manager, batch.tokens(), batch.attention(), from,
                    false, false).logprobs().stopGradient();
        }
    }

    /** A 0-d array's value, whatever its floating type (scalars may promote to float64). */
    private static double scalar(NDArray value) {
        return value.toType(DataType.FLOAT64, false).getDouble();
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
