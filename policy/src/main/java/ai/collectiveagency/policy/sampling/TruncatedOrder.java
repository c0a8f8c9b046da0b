package ai.collectiveagency.policy.sampling;

import java.util.Arrays;

/**
 * The head of a row's vocabulary in likeliest-first order, truncated by top-k then top-p as
 * {@link TokenSampler} does: top-k keeps the k likeliest and renormalises, top-p keeps an entry
 * while the mass of the likelier ones is below p. Ties keep the lower id first.
 *
 * <p>Only the ids at or above the k-th largest log-prob are sorted. Top-p alone, without a k
 * below the vocabulary, is {@link NucleusSampling}'s.
 *
 * @param ids kept ids, likeliest first
 * @param probabilities their (renormalised when top-k) probabilities
 * @param kept how many leading entries of both arrays are kept
 */
record TruncatedOrder(int[] ids, float[] probabilities, int kept) {

    /** The order for {@code params}, whose top-k is below the vocabulary. */
    static TruncatedOrder of(float[] logprobs, float[] probabilities, SamplingParams params) {
        int k = params.topK();
        float threshold = kthLargest(logprobs, k);
        int[] ids = sorted(logprobs, threshold, countAtLeast(logprobs, threshold));
        int count = Math.min(k, ids.length);
        float[] p = new float[count];
        for (int i = 0; i < count; i++) {
            p[i] = probabilities[ids[i]];
        }
        float sum = 0;
        for (float v : p) {
            sum += v;
        }
        for (int i = 0; i < count; i++) {
            p[i] /= sum;
        }
        int kept = count;
        float topP = (float) params.topP();
        if (topP < 1) {
            double running = 0;
            for (int i = 0; i < count; i++) {
                running += p[i];
                float before = (float) running - p[i];
                if (!(before < topP)) {
                    kept = i;
                    break;
                }
            }
        }
        return new TruncatedOrder(ids, p, kept);
    }

    /** The k-th largest value (k >= 1), by a min-heap of the k largest seen. */
    private static float kthLargest(float[] values, int k) {
        float[] heap = new float[k];
        for (int i = 0; i < k; i++) {
            heap[i] = values[i];
            for (int c = i; c > 0 && heap[(c - 1) / 2] > heap[c]; c = (c - 1) / 2) {
                float t = heap[c];
                heap[c] = heap[(c - 1) / 2];
                heap[(c - 1) / 2] = t;
            }
        }
        for (int i = k; i < values.length; i++) {
            if (values[i] > heap[0]) {
                heap[0] = values[i];
                siftDown(heap);
            }
        }
        return heap[0];
    }

    private static void siftDown(float[] heap) {
        int c = 0;
        while (true) {
            int smallest = c;
            int left = 2 * c + 1;
            if (left < heap.length && heap[left] < heap[smallest]) {
                smallest = left;
            }
            if (left + 1 < heap.length && heap[left + 1] < heap[smallest]) {
                smallest = left + 1;
            }
            if (smallest == c) {
                return;
            }
            float t = heap[c];
            heap[c] = heap[smallest];
            heap[smallest] = t;
            c = smallest;
        }
    }

    private static int countAtLeast(float[] values, float threshold) {
        int count = 0;
        for (float v : values) {
            if (v >= threshold) {
                count++;
            }
        }
        return count;
    }

    /** The {@code count} ids with log-prob >= threshold, likeliest first, ties by id. */
    private static int[] sorted(float[] logprobs, float threshold, int count) {
        long[] keys = new long[count];
        int n = 0;
        for (int v = 0; v < logprobs.length; v++) {
            if (logprobs[v] >= threshold) {
                keys[n++] = LikeliestFirst.sortKey(logprobs, v);
            }
        }
        Arrays.sort(keys, 0, n);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (int) keys[i];
        }
        return ids;
    }
}
