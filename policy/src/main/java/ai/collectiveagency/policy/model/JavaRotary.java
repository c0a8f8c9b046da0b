package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.decode.ParallelRange;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Rotary}'s rotation in one Java pass over an array's memory, in place, for a forward
 * pass that autograd does not record (a prefill). Each pair is rotated with the engine's
 * roundings, x·cos + (-x')·sin: two products rounded to float, then their sum, never fused. The
 * engine's rotate_half is a product with a signed permutation, exact for finite values, so for
 * finite inputs the results are the engine's bits, up to the sign of a zero (an infinity in a
 * head turns the engine's whole rotated half into NaN, here only its pair).
 */
final class JavaRotary {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Tokens handed to a thread at a time: 64 tokens of 8 heads of 64 floats are 128 KiB. */
    private static final int TOKENS_PER_PART = 64;

    private JavaRotary() {}

    /**
     * Rotates {@code x}, (tokens, heads, hD) float32 in native order, by the tables of
     * {@link Rotary.Angles}: hD floats a token, each half holding the pairs' values once.
     */
    static void rotate(ByteBuffer x, int tokens, int heads, float[] cos, float[] sin) {
        int headDim = cos.length / tokens;
        ParallelRange.shared().run(tokens, TOKENS_PER_PART, (first, end) -> {
            for (int token = first; token < end; token++) {
                for (int head = 0; head < heads; head++) {
                    rotateHead(x, (token * heads + head) * headDim * Float.BYTES, headDim / 2,
                            cos, sin, token * headDim);
                }
            }
        });
    }

    /** One head at byte {@code at}: pair i is (x[i], x[half + i]), angle i at table + i. */
    private static void rotateHead(ByteBuffer x, int at, int half, float[] cos, float[] sin,
            int table) {
        int second = half * Float.BYTES;
        int i = 0;
        for (; i < SPECIES.loopBound(half); i += SPECIES.length()) {
            int low = at + i * Float.BYTES;
            FloatVector a = FloatVector.fromByteBuffer(SPECIES, x, low, ORDER);
            FloatVector b = FloatVector.fromByteBuffer(SPECIES, x, low + second, ORDER);
            FloatVector c = FloatVector.fromArray(SPECIES, cos, table + i);
            FloatVector s = FloatVector.fromArray(SPECIES, sin, table + i);
            a.mul(c).add(b.neg().mul(s)).intoByteBuffer(x, low, ORDER);
            b.mul(c).add(a.mul(s)).intoByteBuffer(x, low + second, ORDER);
        }
        for (; i < half; i++) {
            int low = at + i * Float.BYTES;
            float a = x.getFloat(low);
            float b = x.getFloat(low + second);
            float c = cos[table + i];
            float s = sin[table + i];
            x.putFloat(low, a * c + -b * s);
            x.putFloat(low + second, b * c + a * s);
        }
    }
}
