package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.decode.DecodeRotary;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.ThreadArrays;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * {@link Rotary}'s rotation in Java, by the Java decoder's kernel ({@link DecodeRotary#rotate}):
 * over a Java array, and its transpose, for a training pass whose attention runs in Java
 * ({@link LayerCuts}); over an array's memory, in place, for a forward pass that autograd does
 * not record (a prefill), each part of the tokens copied into a Java array, rotated there and
 * copied back. That kernel rounds
 * each pair as the engine's ops do (two products rounded to float, then their sum, never
 * fused); the engine's rotate_half is a product with a signed permutation, exact for finite
 * values, so for finite inputs the results are the engine's bits, up to the sign of a zero (an
 * infinity in a head turns the engine's whole rotated half into NaN, here only its pair).
 */
final class JavaRotary {

    /** Tokens handed to a thread at a time: 64 tokens of 8 heads of 64 floats are 128 KiB. */
    private static final int TOKENS_PER_PART = 64;
    /** Each thread's array for its part of an array's memory, kept from call to call. */
    private static final ThreadArrays PARTS = new ThreadArrays(1);

    private final DecodeRotary kernel;

    JavaRotary(LlamaConfig config) {
        this.kernel = new DecodeRotary(config);
    }

    /**
     * Rotates {@code x}, (tokens, heads, hD) float32 in native order, by the tables of
     * {@link Rotary.Angles}: hD floats a token, each half holding the pairs' values once.
     */
    void rotate(ByteBuffer x, int tokens, int heads, float[] cos, float[] sin) {
        int headDim = cos.length / tokens;
        int width = heads * headDim;
        ParallelRange.shared().run(tokens, TOKENS_PER_PART, (first, end) -> {
            int count = (end - first) * width;
            float[] part = PARTS.get(0, count);
            FloatBuffer floats = x.asFloatBuffer();
            floats.get(first * width, part, 0, count);
            for (int token = first; token < end; token++) {
                kernel.rotate(part, (token - first) * width, heads, cos, sin, token * headDim);
            }
            floats.put(first * width, part, 0, count);
        });
    }

    /**
     * Rotates {@code x}, (tokens, heads, hD) in a Java array, in place by the same tables; with
     * {@code transposed}, by the transposed rotation instead (a gradient's way back).
     */
    void rotate(float[] x, int tokens, int heads, float[] cos, float[] sin, boolean transposed) {
        int headDim = cos.length / tokens;
        int width = heads * headDim;
        ParallelRange.shared().run(tokens, TOKENS_PER_PART, (first, end) -> {
            for (int token = first; token < end; token++) {
                if (transposed) {
                    kernel.rotateTransposed(x, token * width, heads, cos, sin, token * headDim);
                } else {
                    kernel.rotate(x, token * width, heads, cos, sin, token * headDim);
                }
            }
        });
    }
}
