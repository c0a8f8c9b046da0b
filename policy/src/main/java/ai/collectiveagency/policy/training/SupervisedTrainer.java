package ai.collectiveagency.policy.training;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.engine.Scalars;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.optim.AdamW;
import ai.collectiveagency.policy.optim.GradientClipping;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.List;

/**
 * One supervised optimiser step (next-token cross-entropy) over micro-batches: the warm-up that
 * teaches a model a task's language before reinforcement learning takes over.
 *
 * <p>loss = - sum over masked targets of log p(target) / number of masked targets in the whole
 * step, so micro-batching does not change the gradient. The batches' advantages and old
 * log-probs are ignored. Memory is scoped per micro-batch as in {@link GrpoTrainer}.
 */
public final class SupervisedTrainer {

    private final Llama model;
    private final AdamW optimizer;
    private final double maxGradNorm;

    /**
     * @param maxGradNorm global-norm clipping threshold ({@code Double.POSITIVE_INFINITY}: none)
     */
    public SupervisedTrainer(Llama model, AdamW optimizer, double maxGradNorm) {
        this.model = model;
        this.optimizer = optimizer;
        this.maxGradNorm = maxGradNorm;
    }

    /** The step's mean token loss, gradient norm before clipping, learning rate and tokens. */
    public record Step(double loss, double gradNorm, double learningRate, long tokens) {}

    /** Accumulates gradients over {@code microBatches}, then takes one optimiser step. */
    public Step step(List<TrainingBatch> microBatches) {
        long tokens = microBatches.stream().mapToLong(TrainingBatch::maskedTokens).sum();
        double loss = 0;
        for (TrainingBatch batch : microBatches) {
            loss += backward(batch, Math.max(tokens, 1));
        }
        double norm = GradientClipping.globalNorm(optimizer.parameters());
        double lr = Double.isFinite(norm)
                ? optimizer.step(GradientClipping.scaleFor(norm, maxGradNorm)) : 0;
        optimizer.zeroGradients();
        return new Step(loss, norm, lr, tokens);
    }

    /** Backward of this batch's share of the step's loss; returns that share. */
    private double backward(TrainingBatch batch, long stepTokens) {
        try (NDManager manager = model.newStepManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            int from = batch.firstScoredTarget();
            NDArray mask = manager.create(TrainingBatch.flatten(batch.lossMask(), from),
                    new Shape(batch.tokens().length, batch.tokens()[0].length - 1 - from));
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                NDArray logprobs = new TokenScorer(model).score(manager, batch.tokens(),
                        batch.attention(), from, true, false).logprobs();
                NDArray loss = Scalars.div(logprobs.mul(mask).sum().neg(), stepTokens);
                collector.backward(loss);
                return loss.toType(DataType.FLOAT64, false).getDouble();
            }
        }
    }
}
