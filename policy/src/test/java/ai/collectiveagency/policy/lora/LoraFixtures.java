package ai.collectiveagency.policy.lora;

import ai.collectiveagency.policy.model.Llama;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;

/** Inputs and helpers shared by the LoRA tests (stories260k: vocab 512). */
final class LoraFixtures {

    static final int[][] TOKENS = {{1, 403, 407, 261, 378, 439, 260, 1, 92, 347, 263, 289}};
    static final int[][] MASK = {ones(TOKENS[0].length)};

    private LoraFixtures() {}

    /** Logits (flattened B·T·V) of {@link #TOKENS}, with or without the installed adapter. */
    static float[] logits(Llama model, boolean useAdapter) {
        try (NDManager step = model.newStepManager()) {
            return model.forward(step, TOKENS, MASK, null, false, useAdapter).toFloatArray();
        }
    }

    /** Logits (flattened B·T·V) of other tokens, with the installed adapter. */
    static float[] logits(Llama model, int[][] tokens, int[][] mask) {
        try (NDManager step = model.newStepManager()) {
            return model.forward(step, tokens, mask, null, false, true).toFloatArray();
        }
    }

    /** Overwrites every B with uniform values in ±{@code bound}, as if trained. */
    static void randomizeB(LoraAdapter adapter, long seed, float bound) {
        Random random = new Random(seed);
        adapter.parameters().forEach((name, array) -> {
            if (name.endsWith("lora_B.weight")) {
                float[] values = new float[Math.toIntExact(array.size())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (2 * random.nextFloat() - 1) * bound;
                }
                array.set(FloatBuffer.wrap(values));
            }
        });
    }

    static float maxAbsDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static float sumAbs(NDArray array) {
        return array.abs().sum().getFloat();
    }

    static int[] ones(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }
}
