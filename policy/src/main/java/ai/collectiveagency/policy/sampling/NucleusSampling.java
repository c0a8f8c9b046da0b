package ai.collectiveagency.policy.sampling;

import ai.collectiveagency.policy.decode.VectorMath;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Top-p (nucleus) sampling of one row without sorting its vocabulary.
 *
 * <p>The choice is {@link TokenSampler}'s: entries in likeliest-first order (ties by lower id),
 * an entry kept while the mass of the likelier ones is below p, and over the kept entries the j
 * with cdf[j-1] <= u·total < cdf[j]. Two ways find the kept entries:
 *
 * <ul>
 *   <li>a peaked row's: the few ids near the maximum already hold clearly more than p, so only
 *       they are sorted;
 *   <li>any other row's: log-probs are binned by their distance below the maximum, and only
 *       the bins in which the nucleus ends or the draw falls are sorted. Bins of equal width
 *       keep the order between them (a larger log-prob never lands in a later bin), so a whole
 *       bin's mass stands in for its entries' running sum wherever no bound can fall inside it.
 * </ul>
 *
 * <p>Sums of whole bins associate their terms differently from the engine's running sum; the
 * difference, about 1e-16, decides a choice only when a bound falls that close to a float.
 *
 * <p>Why: a rollout samples at top-p 0.95, and a young policy's flat rows put most of the
 * vocabulary within reach of p. Sorting those took 0.66-0.68 ms a row at 32,000 ids, nearly as
 * long for a batch of 16 as the decode step that produced the logits.
 */
final class NucleusSampling {

    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

    /** A peaked row's nucleus is looked for among the ids this close to the maximum... */
    private static final float HEAD_NATS = 8f;
    /** ...and only while they are this few. */
    private static final int HEAD_LIMIT = 256;
    /** Nats below the maximum spread over the bins at most; entries further down share one. */
    private static final float SPAN = 32f;
    /** Relative margin: a bin is passed over whole only when it is clearly below a bound. */
    private static final double SLACK = 1e-6;
    /** A bin this large is sorted only once its likeliest entry is known to be kept. */
    private static final int CHECK_FIRST = 64;

    /**
     * The last bin, for ids SPAN or more below the maximum; the bins before it (vocabulary/8
     * within [64, 16384]: about 8 ids a bin on flat rows) split the row's range.
     */
    private final int tail;
    private final int[] binOf; // each id's bin
    private final int[] counts;
    private final double[] mass;
    private int[] edge = new int[64]; // kept entries after the whole bins, likeliest first
    private int edgeCount;
    private double keptMass; // of every kept entry so far
    private long[] keys = new long[HEAD_LIMIT]; // scratch: sort keys of the ids being ordered

    NucleusSampling(int vocab) {
        this.tail = Math.max(64, Math.min(vocab / 8, 16384));
        this.binOf = new int[vocab];
        this.counts = new int[tail + 1];
        this.mass = new double[tail + 1];
    }

    /** The chosen id of a row's log-probs {@code lp} and their exp {@code p}, for uniform u. */
    int choose(float[] lp, float[] p, float topP, float u) {
        float max = VectorMath.max(lp, 0, lp.length);
        int whole = 0; // leading bins kept whole
        edgeCount = 0;
        keptMass = 0;
        int head = sortedHead(lp, p, max, topP);
        if (head >= 0) {
            keepSorted(p, topP, head);
        } else {
            bin(lp, p, max);
            while (whole <= tail && keptMass + mass[whole] < topP * (1 - SLACK)) {
                keptMass += mass[whole++];
            }
            keepEdge(lp, p, topP, whole);
        }
        float target = (float) keptMass * u;
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
        return LikeliestFirst.last(lp); // the engine's pick when u·total reaches the total
    }

    /**
     * Sorts into {@link #keys} the ids within {@link #HEAD_NATS} of the maximum when there are
     * at most {@link #HEAD_LIMIT} and they hold clearly more than p, so the nucleus ends among
     * them; returns their count, else -1.
     */
    private int sortedHead(float[] lp, float[] p, float max, float topP) {
        float threshold = max - HEAD_NATS;
        double held = 0;
        int n = 0;
        for (int v = 0; v < lp.length; v++) {
            if (lp[v] >= threshold) {
                if (n == HEAD_LIMIT) {
                    return -1; // a flat row: stops early
                }
                keys[n++] = LikeliestFirst.sortKey(lp, v);
                held += p[v];
            }
        }
        if (!(held >= topP * (1 + SLACK))) {
            return -1;
        }
        Arrays.sort(keys, 0, n);
        return n;
    }

    /**
     * Each id's bin, and the bins' counts and masses. The bins spread over the row's range of
     * log-probs up to {@link #SPAN}, so a narrow row's ids do not crowd into a few bins.
     */
    private void bin(float[] lp, float[] p, float max) {
        float range = max - VectorMath.min(lp, 0, lp.length);
        float binScale = tail / (range > 0 && range < SPAN ? range : SPAN);
        Arrays.fill(counts, 0);
        Arrays.fill(mass, 0);
        for (int v = 0; v < lp.length; v++) { // the bins' order is the log-probs' order
            float below = max - lp[v];
            int bin = below < SPAN ? Math.min((int) (below * binScale), tail - 1) : tail; // NaN too
            binOf[v] = bin;
            counts[bin]++;
            mass[bin] += p[v];
        }
    }

    /** Walks entry by entry from bin {@code from} to the nucleus's end. */
    private void keepEdge(float[] lp, float[] p, float topP, int from) {
        for (int bin = from; bin <= tail; bin++) {
            if (counts[bin] == 0) {
                continue;
            }
            if (keptMass >= topP * (1 + SLACK) || counts[bin] > CHECK_FIRST
                    && !keeps(p, topP, keptMass, likeliestIn(lp, bin))) {
                return; // the nucleus ended before this bin's first entry
            }
            if (keepSorted(p, topP, sortedBin(lp, bin))) {
                return;
            }
        }
    }

    /**
     * Appends to {@link #edge} the entries of {@link #keys}[0, count) that are kept, adding
     * their mass; returns whether one was not, that is, whether the nucleus ended among them.
     */
    private boolean keepSorted(float[] p, float topP, int count) {
        for (int i = 0; i < count; i++) {
            int id = (int) keys[i];
            if (!keeps(p, topP, keptMass, id)) {
                return true;
            }
            keptMass += p[id];
            if (edgeCount == edge.length) {
                edge = Arrays.copyOf(edge, 2 * edgeCount);
            }
            edge[edgeCount++] = id;
        }
        return false;
    }

    /** The engine's rule: kept while the mass of the likelier ones, cumsum - p in float, < p. */
    private static boolean keeps(float[] p, float topP, double likelier, int id) {
        return (float) (likelier + p[id]) - p[id] < topP;
    }

    /** The first id of {@code bin} in likeliest-first order. */
    private int likeliestIn(float[] lp, int bin) {
        int best = -1;
        for (int v = 0; v < binOf.length; v++) {
            if (binOf[v] == bin && (best < 0
                    || LikeliestFirst.sortKey(lp, v) < LikeliestFirst.sortKey(lp, best))) {
                best = v;
            }
        }
        return best;
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
                        keys[n++] = LikeliestFirst.sortKey(lp, id);
                    }
                }
            }
        }
        for (; v < binOf.length && n < count; v++) {
            if (binOf[v] == bin) {
                keys[n++] = LikeliestFirst.sortKey(lp, v);
            }
        }
        Arrays.sort(keys, 0, n);
        return n;
    }
}
