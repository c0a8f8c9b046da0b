package ai.collectiveagency.demo.dashboard;

/**
 * The held-out evaluations that followed one trainer step, pooled: the trainer evaluates each
 * held-out group on its own, so several may share a step.
 *
 * @param trainerStep the trainer step the evaluated policy came from
 * @param policyVersion the newest evaluated policy version among them
 * @param samples trajectories evaluated
 * @param rewardMean mean reward over all samples
 * @param rewardStd sample standard deviation over all samples (NaN: unknown)
 * @param agreementRate share of samples that reached agreement (NaN: unknown)
 */
public record HeldOutPoint(long trainerStep, long policyVersion, int samples, double rewardMean,
        double rewardStd, double agreementRate) {

    /**
     * This point and {@code other} as one, weighted by their samples; the step is this one's,
     * the version the newer one.
     */
    public HeldOutPoint pool(HeldOutPoint other) {
        if (other.samples == 0) {
            return this;
        }
        if (samples == 0) {
            return other;
        }
        int n = samples + other.samples;
        double mean = weighted(rewardMean, other.rewardMean, other);
        // Pooled variance: the spread within each part plus the spread of their means.
        double within = (samples - 1) * rewardStd * rewardStd
                + (other.samples - 1) * other.rewardStd * other.rewardStd;
        double between = samples * square(rewardMean - mean)
                + other.samples * square(other.rewardMean - mean);
        double std = n < 2 ? 0 : Math.sqrt(Math.max(0, within + between) / (n - 1));
        return new HeldOutPoint(trainerStep, Math.max(policyVersion, other.policyVersion), n,
                mean, std, weighted(agreementRate, other.agreementRate, other));
    }

    private double weighted(double mine, double theirs, HeldOutPoint other) {
        return (mine * samples + theirs * other.samples) / (samples + other.samples);
    }

    private static double square(double x) {
        return x * x;
    }
}
