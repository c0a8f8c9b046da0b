package ai.collectiveagency.policy.optim;

/**
 * The learning rate of each optimiser step, as the schedules of Hugging Face transformers
 * ({@code get_*_schedule_with_warmup}) define it.
 *
 * <p>{@code step} counts the optimiser steps already taken, from 0: the first update uses
 * {@code at(0)}. As in transformers, a linear warm-up starts from 0, so with warm-up the very
 * first update leaves the parameters unchanged (up to weight decay, which is scaled too).
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The learning rate of the update made after {@code step} earlier updates. */
    double at(int step);

    /** The same rate at every step. */
    static LearningRateSchedule constant(double peak) {
        return step -> peak;
    }

    /** Linear from 0 to {@code peak} over {@code warmup} steps, then {@code peak}. */
    static LearningRateSchedule warmupConstant(double peak, int warmup) {
        return step -> peak * Math.min(1.0, warmupFraction(step, warmup));
    }

    /** Linear warm-up, then linear decay to 0 at {@code total} steps. */
    static LearningRateSchedule warmupLinearDecay(double peak, int warmup, int total) {
        return step -> step < warmup
                ? peak * warmupFraction(step, warmup)
                : peak * Math.max(0.0, (double) (total - step) / Math.max(1, total - warmup));
    }

    /** Linear warm-up, then half a cosine from {@code peak} down to 0 at {@code total} steps. */
    static LearningRateSchedule warmupCosine(double peak, int warmup, int total) {
        return step -> {
            if (step < warmup) {
                return peak * warmupFraction(step, warmup);
            }
            double progress = (double) (step - warmup) / Math.max(1, total - warmup);
            return peak * Math.max(0.0, 0.5 * (1 + Math.cos(Math.PI * progress)));
        };
    }

    private static double warmupFraction(int step, int warmup) {
        return (double) step / Math.max(1, warmup);
    }
}
