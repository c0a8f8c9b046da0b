package ai.collectiveagency.demo.report;

/**
 * What one policy version's samples in {@code samples.jsonl} came to: the figures beside its
 * side of the report's cards.
 *
 * @param version the policy version (the groups' behaviour version)
 * @param groups its groups
 * @param trajectories their trajectories
 * @param rewardMean mean reward over the scored ones (NaN: none scored)
 * @param agreed trajectories that reached agreement
 * @param resolutions trajectories with a resolution (or answer)
 * @param distinctResolutions different resolution strings among them
 */
public record VersionFigures(long version, int groups, int trajectories, double rewardMean,
        int agreed, int resolutions, int distinctResolutions) {

    /** Distinct resolutions per resolution (NaN: none). */
    public double distinctShare() {
        return resolutions == 0 ? Double.NaN : distinctResolutions / (double) resolutions;
    }
}
