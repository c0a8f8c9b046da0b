package ai.collectiveagency.policy.optim;

import java.util.Objects;

/**
 * Which {@link LearningRateSchedule} a run uses; saved with the optimiser state so a resumed run
 * continues on the same curve.
 *
 * @param kind the shape of the curve
 * @param warmupSteps steps of linear warm-up from 0 (ignored by {@link Kind#CONSTANT})
 * @param totalSteps the step at which decaying schedules reach 0 (used by the decaying kinds)
 */
public record ScheduleConfig(Kind kind, int warmupSteps, int totalSteps) {

    /** The schedule shapes of transformers' {@code SchedulerType} that we use. */
    public enum Kind {
        /** {@code constant}. */
        CONSTANT,
        /** {@code constant_with_warmup}. */
        WARMUP_CONSTANT,
        /** {@code linear}: warm-up, then linear decay to 0. */
        WARMUP_LINEAR,
        /** {@code cosine}: warm-up, then half a cosine to 0. */
        WARMUP_COSINE
    }

    public ScheduleConfig {
        Objects.requireNonNull(kind, "kind must not be null");
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (totalSteps < warmupSteps) {
            throw new IllegalArgumentException("totalSteps must be >= warmupSteps ("
                    + warmupSteps + "), got " + totalSteps);
        }
    }

    /** A constant learning rate. */
    public static ScheduleConfig constant() {
        return new ScheduleConfig(Kind.CONSTANT, 0, 0);
    }

    /** The schedule that scales {@code peak} along this curve. */
    public LearningRateSchedule schedule(double peak) {
        return switch (kind) {
            case CONSTANT -> LearningRateSchedule.constant(peak);
            case WARMUP_CONSTANT -> LearningRateSchedule.warmupConstant(peak, warmupSteps);
            case WARMUP_LINEAR ->
                    LearningRateSchedule.warmupLinearDecay(peak, warmupSteps, totalSteps);
            case WARMUP_COSINE -> LearningRateSchedule.warmupCosine(peak, warmupSteps, totalSteps);
        };
    }
}
