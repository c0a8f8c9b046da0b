package ai.collectiveagency.policy.bench;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.VectorMath;

/**
 * The read bandwidth the Java decoder can reach: a Java sum over a 256 MB heap array, far larger
 * than the caches, split over the decode threads ({@link ParallelRange#shared()}). The heap may
 * sit on huge pages, which read faster than the engine's 4 KiB pages (34-67 GB/s here against
 * 27-46 for the engine's sum over as large a tensor, in every pair of probes), so a decode bound
 * must come from this stream, not only from the engine's.
 *
 * <p>Held open, it can be measured again and again without allocating: {@link PolicyBenchmark}
 * measures it around every decode run, because this VM's read bandwidth moves in phases of tens
 * of seconds (34-36 GB/s in one, 50-67 in another, in one process) that a probe at another
 * moment does not see. Smaller arrays read faster here (64 MB: 51-61 GB/s; 128 MB: 36-45;
 * 256 MB: 35-40, one process, interleaved): part of them stays in the caches, so the array is
 * not made smaller to save memory.
 *
 * <p>Usage: {@code ReadBandwidth read = new ReadBandwidth(); double gbPerSecond = read.measure();}
 */
final class ReadBandwidth {

    private static final int ELEMENTS = 64 << 20; // 256 MB of float32
    private static final int CHUNK = 1 << 16;

    private final float[] array = new float[ELEMENTS]; // values do not matter
    private final float[] chunkSums = new float[ELEMENTS / CHUNK];

    /** GB read per second: the best of {@link MachineBounds#PASSES} passes. */
    double measure() {
        ParallelRange range = ParallelRange.shared();
        double seconds = MachineBounds.bestSeconds(() -> range.run(chunkSums.length, 1,
                (start, end) -> {
                    for (int c = start; c < end; c++) {
                        chunkSums[c] = VectorMath.sum(array, c * CHUNK, CHUNK);
                    }
                }));
        return 4.0 * ELEMENTS / seconds / 1e9;
    }
}
