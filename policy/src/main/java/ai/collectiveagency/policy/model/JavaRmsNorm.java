package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.ThreadArrays;
import ai.collectiveagency.policy.decode.VectorMath;
import ai.collectiveagency.policy.engine.NativeFloats;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * RMSNorm, x / sqrt(mean(x²) + eps) · weight over the last axis, in one Java pass over the
 * arrays' memory, for a forward pass that autograd does not record (a prefill). The engine's
 * chain (a square, a mean, an addition and a power over (B, T, 1), then two products) made
 * three full-size arrays and five passes; here each part of the rows is copied into a Java
 * array, normed there by the Java decoder's kernel ({@link VectorMath#rmsNorm}) and copied out,
 * so a prompt prefilled here and one prefilled by the decoder get the same normed rows. The
 * engine sums each row's squares in another order, so outputs may differ from its in the last
 * bits.
 */
final class JavaRmsNorm {

    /** Rows handed to a thread at a time: 32 rows of 512 floats are 64 KiB. */
    private static final int ROWS_PER_PART = 32;
    /** Each thread's array for its part, kept from call to call. */
    private static final ThreadArrays PARTS = new ThreadArrays(1);

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
            int floats = (end - first) * width;
            float[] part = PARTS.get(0, floats);
            in.get().asFloatBuffer().get(first * width, part, 0, floats);
            for (int row = 0; row < end - first; row++) { // in place: a row is read, then written
                VectorMath.rmsNorm(part, row * width, w, eps, part, row * width, width);
            }
            out.asFloatBuffer().put(first * width, part, 0, floats);
        });
        return Optional.of(normed);
    }
}
