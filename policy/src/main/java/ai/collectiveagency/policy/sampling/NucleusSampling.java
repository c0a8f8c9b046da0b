package ai.collectiveagency.policy.sampling;

import ai.collectiveagency.policy.decode.VectorMath;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Top-p (nucleus) sampling of one row without sorting its vocabulary: log-probs are binned by
 * their distance below the row's maximum, and only the bins in which the nucleus ends or the
 * sampled mass falls are sorted.
 *
 * <p>The choice is {@link TokenSampler}'s: entries in likeliest-first order (ties by lower id),
 * an entry kept while the mass of the likelier ones is below p, and over the kept entries the j
 * with cdf[j-1] <= u·total < cdf[j]. Bins of equal width keep that order between them (a larger
 * log-prob never lands in a later bin), so a whole bin's mass stands in for its entries'
 * running sum wherever no bound can fall inside it. A bin's sum associates its terms
 * differently from the engine's running sum; the difference, about 1e-16, decides a choice only
 * when a bound falls that close to a float.
 *
 * <p>A rollout's flat distributions are why: sorting every token within reach of p took up to
 * 1.4 ms a row, longer than the decode step that produced the logits.
 */
final class NucleusSampling {

    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

    /** Nats below the maximum spread over the bins; entries further down share a last bin. */
    private static final float SPAN = 32f;
    /** Relative margin: a bin is passed over whole only when it is clearly below a bound. */
    private static final double SLACK = 1e-6;

    private final int bins; // about 8 ids a bin on average, whatever the vocabulary
    private final float binScale;
    private final int tail; // the last bin: SPAN or more below the maximum
    private final int[] binOf; // each id's bin
    private final int[] counts;
    private final double[] mass;
    private int[] edge = new int[64]; // kept entries after the whole bins, likeliest first
    private int edgeCount;
    private long[] keys = new long[64]; // scratch: one bin's sort keys

    NucleusSampling(int vocab) {
        this.bins = Math.max(64, Math.min(vocab / 8, 16384));
        this.binScale = bins / SPAN;
        this.tail = bins;
        this.binOf = new int[vocab];
        this.counts = new int[bins + 1];
        this.mass = new double[bins + 1];
    }

    /** The chosen id of a row's log-probs {@code lp} and their exp {@code p}, for uniform u. */
    int choose(float[] lp, float[] p, float topP, float u) {
        bin(lp, p);
        int whole = 0; // leading bins kept whole: they end clearly below p
        double wholeMass = 0;
        while (whole <= tail && wholeMass + mass[whole] < topP * (1 - SLACK)) {
            wholeMass += mass[whole++];
        }
        float target = (float) keepEdge(lp, p, topP, whole, wholeMass) * u;
        double running = 0;
        for (int bin = 0; bin < whole; bin++) {
            if (running + mass[bin] <= target * (1 - SLACK)) {
                running += mass[bin];
                continue;
            }
            int count = sortedBin(lp, bin);
            for (int i = 0; i < count; i++) {
                int id = (int) keys[i];
                running += p[id];
                if ((float) running > target) {
                    return id;
                }
            }
        }
        for (int i = 0; i < edgeCount; i++) {
            running += p[edge[i]];
            if ((float) running > target) {
                return edge[i];
            }
        }
        return TruncatedOrder.last(lp); // the engine's pick when u·total reaches the total
    }

    /** Each id's bin, and the bins' counts and masses. */
    private void bin(float[] lp, float[] p) {
        float max = VectorMath.max(lp, 0, lp.length);
        Arrays.fill(counts, 0);
        Arrays.fill(mass, 0);
        for (int v = 0; v < lp.length; v++) { // the bins' order is the log-probs' order
            float below = max - lp[v];
            int bin = below < SPAN ? Math.min((int) (below * binScale), bins - 1) : tail; // NaN too
            binOf[v] = bin;
            counts[bin]++;
            mass[bin] += p[v];
        }
    }

    /**
     * Walks entry by entry from bin {@code from} (after bins of mass {@code before}) to the
     * nucleus's end, keeping each entry while the mass of the likelier ones is below p, as the
     * engine does (cumsum - p, in float). Puts the kept entries into {@link #edge}; returns
     * the mass of every kept entry.
     */
    private double keepEdge(float[] lp, float[] p, float topP, int from, double before) {
        edgeCount = 0;
        for (int bin = from; bin <= tail; bin++) {
            if (counts[bin] == 0) {
                continue;
            }
            if (before >= topP * (1 + SLACK)) {
                break; // the nucleus ended before this bin's first entry
            }
            int count = sortedBin(lp, bin);
            for (int i = 0; i < count; i++) {
                int id = (int) keys[i];
                float likelier = (float) (before + p[id]) - p[id];
                if (!(likelier < topP)) {
                    return before;
                }
                before += p[id];
                if (edgeCount == edge.length) {
                    edge = Arrays.copyOf(edge, 2 * edgeCount);
                }
                edge[edgeCount++] = id;
            }
        }
        return before;
    }

    /** Sorts the ids of {@code bin} likeliest first, ties by id, into {@link #keys}. */
    private int sortedBin(float[] lp, int bin) {
        int count = counts[bin];
        if (keys.length < count) {
            keys = new long[Math.max(count, 2 * keys.length)];
        }
        IntVector wanted = IntVector.broadcast(INTS, bin);
        int bound = INTS.loopBound(binOf.length);
        int n = 0;
        int v = 0;
        for (; v < bound && n < count; v += INTS.length()) {
            if (IntVector.fromArray(INTS, binOf, v).compare(VectorOperators.EQ, wanted)
                    .anyTrue()) {
                for (int id = v; id < v + INTS.length(); id++) {
                    if (binOf[id] == bin) {
                        keys[n++] = ((long) TruncatedOrder.descendingKey(lp[id]) << 32) | id;
                    }
                }
            }
        }
        for (; v < binOf.length && n < count; v++) {
            if (binOf[v] == bin) {
                keys[n++] = ((long) TruncatedOrder.descendingKey(lp[v]) << 32) | v;
            }
        }
        Arrays.sort(keys, 0, n);
        return n;
    }
}
