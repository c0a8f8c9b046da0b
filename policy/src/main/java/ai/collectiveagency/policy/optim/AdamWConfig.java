package ai.collectiveagency.policy.optim;

/**
 * Hyper-parameters of {@link AdamW}, named and defaulted as in {@code torch.optim.AdamW}.
 *
 * @param learningRate peak learning rate; the {@link ScheduleConfig} scales it per step
 * @param beta1 decay of the first-moment (mean) estimate, in [0, 1)
 * @param beta2 decay of the second-moment (uncentred variance) estimate, in [0, 1)
 * @param eps added to the denominator for numerical stability, > 0
 * @param weightDecay decoupled decay: each step multiplies parameters by {@code 1 - lr * wd}
 */
public record AdamWConfig(
        double learningRate, double beta1, double beta2, double eps, double weightDecay) {

    public AdamWConfig {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(
                    "learningRate must be a finite number >= 0, got " + learningRate);
        }
        requireDecay("beta1", beta1);
        requireDecay("beta2", beta2);
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a finite number > 0, got " + eps);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(
                    "weightDecay must be a finite number >= 0, got " + weightDecay);
        }
    }

    /** PyTorch's defaults (betas 0.9 / 0.999, eps 1e-8, weight decay 0.01) at a learning rate. */
    public static AdamWConfig torchDefaults(double learningRate) {
        return new AdamWConfig(learningRate, 0.9, 0.999, 1e-8, 0.01);
    }

    private static void requireDecay(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + value);
        }
    }
}
