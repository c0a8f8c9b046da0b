package ai.collectiveagency.policy.decode;

/**
 * Float arrays of each thread, kept from call to call and grown as needed: the scratch of
 * kernels whose parts run on a {@link ParallelRange}'s threads, where arrays made per part were
 * megabytes of garbage a call (a prefill's RMSNorm allocated and zeroed 4 MB a norm). Held in
 * a static field, a kernel's arrays serve every model, and stay with a thread as long as it runs.
 *
 * <p>Usage: {@code static final ThreadArrays SCRATCH = new ThreadArrays(2);} then, inside a
 * part, {@code float[] strip = SCRATCH.get(0, floats);}.
 */
public final class ThreadArrays {

    private final ThreadLocal<float[][]> arrays;

    /** {@code count} arrays a thread, each empty until first asked for. */
    public ThreadArrays(int count) {
        this.arrays = ThreadLocal.withInitial(() -> new float[count][0]);
    }

    /** This thread's array {@code which}, at least {@code floats} long (maybe longer). */
    public float[] get(int which, int floats) {
        float[][] mine = arrays.get();
        if (mine[which].length < floats) {
            mine[which] = null; // the old array goes before the new one is allocated
            mine[which] = new float[floats];
        }
        return mine[which];
    }
}
