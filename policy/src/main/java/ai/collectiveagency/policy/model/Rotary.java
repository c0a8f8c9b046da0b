package ai.collectiveagency.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings in Hugging Face's {@code rotate_half} layout (RoFormer, Su et al.
 * 2021): {@code x' = x * cos + rotate_half(x) * sin}, where the first and second halves of each
 * head hold the two coordinates of each rotated pair.
 *
 * <p>Angles are computed in Java per forward pass (once, shared by all layers) with the same
 * float32 arithmetic as the reference. {@code rotate_half} is one matmul with a signed permutation
 * matrix, so applying the rotation costs four ops per tensor instead of seven.
 */
public final class Rotary {

    private final float[] inverseFrequencies; // (hD/2)
    private final NDArray rotateHalf; // (hD, hD)

    /** Tables for {@code config}, the rotation matrix in {@code dataType} (the weights' type). */
    public Rotary(LlamaConfig config, NDManager manager, DataType dataType) {
        int half = config.headDim() / 2;
        inverseFrequencies = inverseFrequencies(config);
        int d = config.headDim();
        float[] matrix = new float[d * d];
        for (int j = 0; j < half; j++) {
            matrix[(j + half) * d + j] = -1; // output j      = -x[j + half]
            matrix[j * d + j + half] = 1; //    output j+half =  x[j]
        }
        rotateHalf = manager.create(matrix, new Shape(d, d)).toType(dataType, false);
    }

    /**
     * Radians per position of each rotated pair, (hD/2), rope scaling applied; an angle is
     * {@code (float) position * inverseFrequencies[i]} in float32.
     */
    public static float[] inverseFrequencies(LlamaConfig config) {
        int half = config.headDim() / 2;
        float[] inverse = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / config.headDim();
            double frequency = 1.0 / (float) Math.pow(config.ropeTheta(), exponent);
            if (config.ropeScaling() != null) {
                frequency = config.ropeScaling().scale(frequency);
            }
            inverse[i] = (float) frequency;
        }
        return inverse;
    }

    /** cos and sin of each position's angles, (B, T, 1, hD), both scaled by {@code scale}. */
    public record Angles(NDArray cos, NDArray sin) {}

    /** Angles for {@code positions[b][t]}; {@code scale} multiplies both (folds 1/sqrt(hD)). */
    public Angles angles(NDManager manager, int[][] positions, float scale) {
        int batch = positions.length;
        int time = positions[0].length;
        int half = inverseFrequencies.length;
        float[] cos = new float[batch * time * 2 * half];
        float[] sin = new float[cos.length];
        int k = 0;
        for (int[] row : positions) {
            for (int position : row) {
                for (int copy = 0; copy < 2; copy++) {
                    for (int i = 0; i < half; i++, k++) {
                        float angle = position * inverseFrequencies[i];
                        cos[k] = (float) Math.cos(angle) * scale;
                        sin[k] = (float) Math.sin(angle) * scale;
                    }
                }
            }
        }
        Shape shape = new Shape(batch, time, 1, 2L * half);
        DataType type = rotateHalf.getDataType();
        return new Angles(manager.create(cos, shape).toType(type, false),
                manager.create(sin, shape).toType(type, false));
    }

    /** Rotates {@code x} (B, T, heads, hD). */
    public NDArray apply(NDArray x, Angles angles) {
        return x.mul(angles.cos()).add(x.matMul(rotateHalf).mul(angles.sin()));
    }
}
