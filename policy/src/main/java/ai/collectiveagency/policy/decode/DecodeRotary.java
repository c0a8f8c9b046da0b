package ai.collectiveagency.policy.decode;

import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.Rotary;

/**
 * Rotary position embeddings for one token, in place, in Hugging Face's {@code rotate_half}
 * layout and with the same float32 arithmetic as {@link Rotary}: angle = position · invFreq[i]
 * in float, cos and sin rounded to float and multiplied by a scale (1/sqrt(hD) folds the
 * attention scaling into queries), x' = x·cos + rotate_half(x)·sin.
 */
final class DecodeRotary {

    private final float[] inverseFrequencies; // (hD/2)
    private final int headDim;

    DecodeRotary(LlamaConfig config) {
        this.inverseFrequencies = Rotary.inverseFrequencies(config);
        this.headDim = config.headDim();
    }

    /** Rotates {@code heads} consecutive heads of width hD starting at {@code v[offset]}. */
    void rotate(float[] v, int offset, int heads, int position, float scale) {
        int half = inverseFrequencies.length;
        float[] cos = new float[half];
        float[] sin = new float[half];
        for (int i = 0; i < half; i++) {
            float angle = position * inverseFrequencies[i];
            cos[i] = (float) Math.cos(angle) * scale;
            sin[i] = (float) Math.sin(angle) * scale;
        }
        for (int h = 0; h < heads; h++) {
            int base = offset + h * headDim;
            for (int i = 0; i < half; i++) {
                float first = v[base + i];
                float second = v[base + half + i];
                v[base + i] = first * cos[i] + -second * sin[i];
                v[base + half + i] = second * cos[i] + first * sin[i];
            }
        }
    }
}
