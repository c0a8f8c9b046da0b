package ai.collectiveagency.policy.sampling;

/**
 * The engine's likeliest-first order of a row's ids: larger log-prob first, ties by lower id.
 * The truncating samplers sort by these keys and fall back to the order's last id.
 */
final class LikeliestFirst {

    private LikeliestFirst() {}

    /** A long whose ascending order is likeliest first, ties by lower id; its low half: the id. */
    static long sortKey(float[] logprobs, int id) {
        int bits = Float.floatToIntBits(logprobs[id]);
        int ascending = bits ^ ((bits >> 31) & 0x7fffffff); // signed order of the float's value
        return ((long) ~ascending << 32) | id;
    }

    /** The least likely id: the last of the whole order. */
    static int last(float[] logprobs) {
        int worst = 0;
        for (int v = 1; v < logprobs.length; v++) {
            if (logprobs[v] <= logprobs[worst]) {
                worst = v;
            }
        }
        return worst;
    }
}
