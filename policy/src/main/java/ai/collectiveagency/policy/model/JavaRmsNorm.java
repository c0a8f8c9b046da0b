package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.engine.NativeFloats;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * RMSNorm, x / sqrt(mean(x²) + eps) · weight over the last axis, in one Java pass over the
 * arrays' memory, for a forward pass that autograd does not record (a prefill). The engine's
 * chain (a square, a mean, an addition and a power over (B, T, 1), then two products) made
 * three full-size arrays and five passes; here each row is read twice (from cache the second
 * time) and written once. The arithmetic is the Java decoder's ({@code VectorMath.rmsNorm}),
 * operation for operation, so a prompt prefilled here and one prefilled by the decoder get the
 * same normed rows; the engine sums each row's squares in another order, so outputs may differ
 * from its in the last bits.
 */
final class JavaRmsNorm {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Rows handed to a thread at a time: 32 rows of 512 floats are 64 KiB. */
    private static final int ROWS_PER_PART = 32;

    private JavaRmsNorm() {}

    /**
     * The normalised rows of {@code x} (..., D) in a new array; empty where Java cannot view x
     * (not float32, on a GPU, not contiguous, over 2 GiB) or the weight (D) is not float32.
     */
    static Optional<NDArray> normalize(NDArray x, NDArray weight, float eps) {
        int width = Math.toIntExact(weight.size());
        if (x.getShape().tail() != width) {
            throw new IllegalArgumentException("rows of " + x.getShape().tail()
                    + " floats against a weight of " + width);
        }
        Optional<ByteBuffer> in = NativeFloats.view(x);
        if (in.isEmpty() || weight.getDataType() != DataType.FLOAT32) {
            return Optional.empty();
        }
        // copied, not viewed: a view hands the shared weight to a probe manager for a moment
        float[] w = NativeFloats.copy(weight, new float[width]);
        NDArray normed = x.getManager().create(x.getShape(), DataType.FLOAT32, x.getDevice());
        ByteBuffer out = NativeFloats.view(normed).orElseThrow();
        int rows = Math.toIntExact(x.size() / width);
        ParallelRange.shared().run(rows, ROWS_PER_PART, (first, end) -> {
            for (int row = first; row < end; row++) {
                normalizeRow(in.get(), out, row * width * Float.BYTES, w, eps);
            }
        });
        return Optional.of(normed);
    }

    private static void normalizeRow(ByteBuffer in, ByteBuffer out, int at, float[] w,
            float eps) {
        int width = w.length;
        int bound = SPECIES.loopBound(width);
        FloatVector squares = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromByteBuffer(SPECIES, in, at + i * Float.BYTES, ORDER);
            squares = v.fma(v, squares);
        }
        float sum = squares.reduceLanes(VectorOperators.ADD);
        for (; i < width; i++) {
            float v = in.getFloat(at + i * Float.BYTES);
            sum += v * v;
        }
        float variance = sum / width;
        float r = (float) (1 / Math.sqrt(variance + eps));
        i = 0;
        for (; i < bound; i += SPECIES.length()) {
            int offset = at + i * Float.BYTES;
            FloatVector.fromByteBuffer(SPECIES, in, offset, ORDER).mul(r)
                    .mul(FloatVector.fromArray(SPECIES, w, i)).intoByteBuffer(out, offset, ORDER);
        }
        for (; i < width; i++) {
            int offset = at + i * Float.BYTES;
            out.putFloat(offset, in.getFloat(offset) * r * w[i]);
        }
    }
}
