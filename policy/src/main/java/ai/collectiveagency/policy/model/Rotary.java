package ai.collectiveagency.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.HashMap;
import java.util.Map;

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

    /**
     * Angles for {@code positions[b][t]}; {@code scale} multiplies both (folds 1/sqrt(hD)). The
     * sines and cosines of a position are computed once and copied to each token at it: the rows
     * of a batch mostly share their positions, and for a prefill of 8 x 256 the trigonometry of
     * every token cost more than the attention mask.
     */
    public Angles angles(NDManager manager, int[][] positions, float scale) {
        int batch = positions.length;
        int time = positions[0].length;
        int half = inverseFrequencies.length;
        int width = 2 * half;
        float[] cos = new float[batch * time * width];
        float[] sin = new float[cos.length];
        Map<Integer, Integer> firstOffset = new HashMap<>();
        int k = 0;
        for (int[] row : positions) {
            for (int position : row) {
                Integer earlier = firstOffset.putIfAbsent(position, k);
                if (earlier != null) {
                    System.arraycopy(cos, earlier, cos, k, width);
                    System.arraycopy(sin, earlier, sin, k, width);
                } else {
                    for (int i = 0; i < half; i++) {
                        float angle = position * inverseFrequencies[i];
                        cos[k + i] = cos[k + half + i] = (float) Math.cos(angle) * scale;
                        sin[k + i] = sin[k + half + i] = (float) Math.sin(angle) * scale;
                    }
                }
                k += width;
            }
        }
        Shape shape = new Shape(batch, time, 1, width);
        DataType type = rotateHalf.getDataType();
        return new Angles(manager.create(cos, shape).toType(type, false),
                manager.create(sin, shape).toType(type, false));
    }

    /** Rotates {@code x} (B, T, heads, hD). */
    public NDArray apply(NDArray x, Angles angles) {
        // In place on the fresh products only: autograd keeps neither of them for backward.
        return x.mul(angles.cos()).addi(x.matMul(rotateHalf).muli(angles.sin()));
    }
}
