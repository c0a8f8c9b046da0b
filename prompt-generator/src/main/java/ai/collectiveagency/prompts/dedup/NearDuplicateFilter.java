package ai.collectiveagency.prompts.dedup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drops texts that are near-duplicates of one admitted earlier: estimated Jaccard similarity
 * ({@link MinHash}) at or above a threshold. Candidates are found by LSH banding (Leskovec,
 * Rajaraman, Ullman, <i>Mining of Massive Datasets</i>, ch. 3): the signature is cut into bands
 * of {@code rows} values, and only texts sharing a whole band with the new one are compared.
 * With 32 bands of 4 rows a pair at Jaccard 0.8 becomes a candidate with probability above
 * 0.9999, so the banding loses next to nothing at the default threshold.
 *
 * <p>Not thread-safe: one filter per run, fed in the order tasks are generated.
 */
public final class NearDuplicateFilter {

    /** Default similarity at or above which a text is dropped. */
    public static final double DEFAULT_THRESHOLD = 0.8;

    private final MinHash minHash;
    private final double threshold;
    private final int rows;
    private final List<Map<Integer, List<Integer>>> bands;
    private final List<long[]> admitted = new ArrayList<>();
    private int dropped;

    /** Word 3-shingles, 128 hash functions in 32 bands of 4, the default threshold. */
    public NearDuplicateFilter() {
        this(new MinHash(3, 128), 4, DEFAULT_THRESHOLD);
    }

    /**
     * @param minHash the signature maker; its hash count must be a multiple of {@code rows}
     * @param rows signature values per LSH band
     * @param threshold estimated Jaccard at or above which a text is a near-duplicate
     */
    public NearDuplicateFilter(MinHash minHash, int rows, double threshold) {
        if (rows < 1 || minHash.numHashes() % rows != 0) {
            throw new IllegalArgumentException("rows must divide the hash count");
        }
        if (!(threshold > 0.0 && threshold <= 1.0)) {
            throw new IllegalArgumentException("threshold must lie in (0, 1], was " + threshold);
        }
        this.minHash = minHash;
        this.rows = rows;
        this.threshold = threshold;
        this.bands = new ArrayList<>();
        for (int b = 0; b < minHash.numHashes() / rows; b++) {
            bands.add(new HashMap<>());
        }
    }

    /** True, and remembered, when the text is no near-duplicate of an admitted one. */
    public boolean admit(String text) {
        long[] sig = minHash.signature(text);
        int[] keys = new int[bands.size()];
        for (int b = 0; b < keys.length; b++) {
            keys[b] = Arrays.hashCode(Arrays.copyOfRange(sig, b * rows, (b + 1) * rows));
            for (int other : bands.get(b).getOrDefault(keys[b], List.of())) {
                if (MinHash.estimatedJaccard(sig, admitted.get(other)) >= threshold) {
                    dropped++;
                    return false;
                }
            }
        }
        int id = admitted.size();
        admitted.add(sig);
        for (int b = 0; b < keys.length; b++) {
            bands.get(b).computeIfAbsent(keys[b], k -> new ArrayList<>()).add(id);
        }
        return true;
    }

    public int admittedCount() {
        return admitted.size();
    }

    public int droppedCount() {
        return dropped;
    }
}
