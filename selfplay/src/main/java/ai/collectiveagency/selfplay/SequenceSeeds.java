package ai.collectiveagency.selfplay;

/**
 * The seed of each sampled sequence, a function of the task's seed, the trajectory's index in its
 * group and the step within the trajectory only. A trajectory's tokens therefore do not depend on
 * which other tasks or trajectories share a batch: the same task and seed give the same group.
 */
public final class SequenceSeeds {

    private static final int THOUGHTS_STREAM = 1 << 30;

    private SequenceSeeds() {}

    /**
     * @param step 0..T-1 for persona turns (and 0 for a single answer), T for the resolution
     */
    public static long of(long taskSeed, int trajectory, int step) {
        // Chained, not xor-ed: mix(a) ^ mix(b) is symmetric, so (task 0, index 1) would meet
        // (task 1, index 0). The golden-ratio offset moves seed 0 off mix's fixed point 0.
        long position = ((long) trajectory << 32) | (step & 0xffffffffL);
        return mix(mix(taskSeed ^ 0x9e3779b97f4a7c15L) + position);
    }

    /**
     * The seed of the thoughts a persona of {@code trajectory} thinks during turn {@code step}:
     * a stream of its own (step tagged with bit 30, beyond any turn or resolution step), so
     * turning reasoning on changes no seed the plain protocol uses.
     */
    public static long thoughts(long taskSeed, int trajectory, int step) {
        return of(taskSeed, trajectory, step | THOUGHTS_STREAM);
    }

    /** SplitMix64's finalizer: nearby inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
