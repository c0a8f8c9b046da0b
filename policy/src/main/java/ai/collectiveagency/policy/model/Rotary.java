package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.engine.NativeFloats;
import ai.collectiveagency.policy.engine.NoGradient;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rotary position embeddings in Hugging Face's {@code rotate_half} layout (RoFormer, Su et al.
 * 2021): {@code x' = x * cos + rotate_half(x) * sin}, where the first and second halves of each
 * head hold the two coordinates of each rotated pair.
 *
 * <p>Angles are computed in Java per forward pass (once, shared by all layers) with the same
 * float32 arithmetic as the reference. Where autograd records, {@code rotate_half} is one matmul
 * with a signed permutation matrix, so applying the rotation costs four ops per tensor instead of
 * seven. Where it does not (a prefill) and Java can view the array, one Java pass rotates it in
 * place with the same roundings, so the bits are the engine's: a prefill of 8 x 256 tokens of
 * the ~40M bench model spent about 20-30 ms in the engine's rotations (README, Speed, "Rotary
 * positions in Java for passes without autograd").
 */
public final class Rotary {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Tokens of a pass handed to a thread at a time: 64 tokens of 8 heads of 64 are 128 KiB. */
    private static final int TOKENS_PER_PART = 64;

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
     * Rotates {@code x} (B, T, heads, hD): where autograd does not record and Java can view x
     * (float32 on the CPU, contiguous), x itself, in place; else a new array.
     */
    public NDArray apply(NDArray x, Angles angles) {
        if (!NoGradient.recording()) {
            Optional<ByteBuffer> memory = NativeFloats.view(x);
            if (memory.isPresent()) {
                Shape shape = x.getShape();
                int tokens = Math.toIntExact(shape.get(0) * shape.get(1));
                int heads = Math.toIntExact(shape.get(2));
                ParallelRange.shared().run(tokens, TOKENS_PER_PART, (first, end) ->
                        rotate(memory.get(), first, end, heads, angles));
                return x;
            }
        }
        // In place on the fresh products only: autograd keeps neither of them for backward.
        return x.mul(angles.cos()).addi(x.matMul(rotateHalf).muli(angles.sin()));
    }

    /**
     * Rotates every head of tokens [first, end) of {@code x} in place, each pair as the engine
     * does: x·cos + (-x')·sin, two products rounded to float, then their sum.
     */
    private void rotate(ByteBuffer x, int first, int end, int heads, Angles angles) {
        int headDim = 2 * inverseFrequencies.length;
        for (int token = first; token < end; token++) {
            int table = token * headDim;
            for (int head = 0; head < heads; head++) {
                rotateHead(x, (token * heads + head) * headDim * Float.BYTES, angles.cosTable(),
                        angles.sinTable(), table);
            }
        }
    }

    private void rotateHead(ByteBuffer x, int at, float[] cos, float[] sin, int table) {
        int half = inverseFrequencies.length;
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
