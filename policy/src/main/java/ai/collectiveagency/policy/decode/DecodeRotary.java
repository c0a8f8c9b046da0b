package ai.collectiveagency.policy.decode;

import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.Rotary;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rotary position embeddings for one token, in place, in Hugging Face's {@code rotate_half}
 * layout and with the same float32 arithmetic as {@link Rotary}: angle = position · invFreq[i]
 * in float, cos and sin rounded to float and multiplied by a scale (1/sqrt(hD) folds the
 * attention scaling into queries), x' = x·cos + rotate_half(x)·sin.
 *
 * <p>Usage: {@code rotary.angles(position, scale, cos, sin);
 * rotary.rotate(v, offset, heads, cos, sin);} with cos and sin of hD/2 floats each, computed once
 * per token and shared by every layer. Public for the block KV cache of
 * {@code decode.blocks}, which rotates queries by relative positions.
 */
public final class DecodeRotary {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private final float[] inverseFrequencies; // (hD/2)
    private final int headDim;

    public DecodeRotary(LlamaConfig config) {
        this.inverseFrequencies = Rotary.inverseFrequencies(config);
        this.headDim = config.headDim();
    }

    /** Fills cos and sin (hD/2 each, from {@code offset}) for {@code position}, times scale. */
    public void angles(int position, float scale, float[] cos, float[] sin, int offset) {
        for (int i = 0; i < inverseFrequencies.length; i++) {
            float angle = position * inverseFrequencies[i];
            cos[offset + i] = (float) Math.cos(angle) * scale;
            sin[offset + i] = (float) Math.sin(angle) * scale;
        }
    }

    /**
     * Rotates {@code heads} consecutive heads of width hD starting at {@code v[offset]}, each
     * pair as {@link Rotary}'s engine ops round it: two products rounded to float, then their
     * sum, never fused (so the vector loop and the scalar remainder agree to the bit).
     */
    public void rotate(float[] v, int offset, int heads, float[] cos, float[] sin,
            int angleOffset) {
        rotate(v, offset, heads, cos, sin, angleOffset, false);
    }

    /**
     * {@link #rotate}'s transpose, in place: the rotation by the opposite angle, times the same
     * scale. It takes the gradient of a rotated head back to the head before the rotation (a
     * training pass whose attention runs in Java).
     */
    public void rotateTransposed(float[] v, int offset, int heads, float[] cos, float[] sin,
            int angleOffset) {
        rotate(v, offset, heads, cos, sin, angleOffset, true);
    }

    /** The rotation, or with {@code transposed} its transpose: the same with sin negated. */
    private void rotate(float[] v, int offset, int heads, float[] cos, float[] sin,
            int angleOffset, boolean transposed) {
        int half = inverseFrequencies.length;
        int whole = SPECIES.loopBound(half);
        for (int h = 0; h < heads; h++) {
            int base = offset + h * headDim;
            int i = 0;
            for (; i < whole; i += SPECIES.length()) {
                FloatVector c = FloatVector.fromArray(SPECIES, cos, angleOffset + i);
                FloatVector s = FloatVector.fromArray(SPECIES, sin, angleOffset + i);
                if (transposed) {
                    s = s.neg();
                }
                FloatVector first = FloatVector.fromArray(SPECIES, v, base + i);
                FloatVector second = FloatVector.fromArray(SPECIES, v, base + half + i);
                first.mul(c).add(second.neg().mul(s)).intoArray(v, base + i);
                second.mul(c).add(first.mul(s)).intoArray(v, base + half + i);
            }
            for (; i < half; i++) {
                float c = cos[angleOffset + i];
                float s = transposed ? -sin[angleOffset + i] : sin[angleOffset + i];
                float first = v[base + i];
                float second = v[base + half + i];
                v[base + i] = first * c + -second * s;
                v[base + half + i] = second * c + first * s;
            }
        }
    }
}
