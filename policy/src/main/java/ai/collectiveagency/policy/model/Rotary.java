package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.engine.NativeFloats;
import ai.collectiveagency.policy.engine.NoGradient;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Rotary position embeddings in Hugging Face's {@code rotate_half} layout (RoFormer, Su et al.
 * 2021): {@code x' = x * cos + rotate_half(x) * sin}, where the first and second halves of each
 * head hold the two coordinates of each rotated pair.
 *
 * <p>Angles are computed in Java per forward pass (once, shared by all layers) with the same
 * float32 arithmetic as the reference. Where autograd records, {@code rotate_half} is one matmul
 * with a signed permutation matrix, so applying the rotation costs four ops per tensor instead of
 * seven. Where it does not (a prefill) and Java can view the array, {@link JavaRotary} rotates
 * it in place with the engine's roundings (README, Speed, "Rotary positions and RMSNorm in Java
 * for passes without autograd"). A training pass whose attention runs in Java rotates its Java
 * copies of q and k the same way, and their gradients back by the transpose ({@link LayerCuts}).
 */
public final class Rotary {

    private final float[] inverseFrequencies; // (hD/2)
    private final NDArray rotateHalf; // (hD, hD)
    private final JavaRotary javaRotary; // where autograd does not record

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
        javaRotary = new JavaRotary(config);
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

    /**
     * cos and sin of each position's angles, (B, T, 1, hD), both scaled by {@code scale}: as
     * engine arrays, and as the float32 tables they were made from, hD floats a token (each
     * half holding the pairs' values once), for the Java pass.
     */
    public record Angles(NDArray cos, NDArray sin, float[] cosTable, float[] sinTable) {}

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
                manager.create(sin, shape).toType(type, false), cos, sin);
    }

    /**
     * Rotates {@code x}, (tokens, heads, hD) in a Java array, in place at the tokens
     * {@code angles} were made for; with {@code transposed}, by the transposed rotation, which
     * takes a rotated head's gradient back to the head.
     */
    void rotate(float[] x, int heads, Angles angles, boolean transposed) {
        int headDim = 2 * inverseFrequencies.length;
        int tokens = angles.cosTable().length / headDim;
        if (x.length != tokens * heads * headDim) {
            throw new IllegalArgumentException(x.length + " floats are not " + tokens
                    + " tokens of " + heads + " heads of " + headDim);
        }
        javaRotary.rotate(x, tokens, heads, angles.cosTable(), angles.sinTable(), transposed);
    }

    /**
     * Rotates {@code x} (B, T, heads, hD) at the tokens {@code angles} were made for: where
     * autograd does not record and Java can view x (float32 on the CPU, contiguous), x itself,
     * in place; else a new array.
     */
    public NDArray apply(NDArray x, Angles angles) {
        Shape shape = x.getShape();
        int headDim = 2 * inverseFrequencies.length;
        if (shape.dimension() != 4 || shape.get(3) != headDim
                || shape.get(0) * shape.get(1) * headDim != angles.cosTable().length) {
            throw new IllegalArgumentException("cannot rotate " + shape + " with angles for "
                    + angles.cosTable().length / headDim + " tokens of heads of " + headDim);
        }
        long tokens = shape.get(0) * shape.get(1);
        if (!NoGradient.recording()) {
            Optional<ByteBuffer> memory = NativeFloats.view(x);
            if (memory.isPresent()) {
                javaRotary.rotate(memory.get(), Math.toIntExact(tokens),
                        Math.toIntExact(shape.get(2)), angles.cosTable(), angles.sinTable());
                return x;
            }
        }
        // In place on the fresh products only: autograd keeps neither of them for backward.
        return x.mul(angles.cos()).addi(x.matMul(rotateHalf).muli(angles.sin()));
    }
}
