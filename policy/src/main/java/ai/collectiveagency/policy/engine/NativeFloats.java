package ai.collectiveagency.policy.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;

import java.nio.ByteOrder;

/**
 * Reads a float32 array's values into a Java array the caller reuses. {@code toFloatArray}
 * copies twice (into a new direct buffer, then into a new array) and zeroes both first: 0.6-4.5
 * ms for 4 MB here, against 0.2 ms for one copy from a view of the engine's memory.
 */
public final class NativeFloats {

    private NativeFloats() {}

    /**
     * Copies {@code array}'s values, row-major, into {@code into}, which must hold at least
     * {@code array.size()} floats; returns {@code into}. A non-contiguous array (a transposed
     * view) is first copied contiguous by the engine. Only float32 arrays are read.
     */
    public static float[] copy(NDArray array, float[] into) {
        if (array.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("expected float32 values, got "
                    + array.getDataType());
        }
        int size = Math.toIntExact(array.size());
        if (into.length < size) {
            throw new IllegalArgumentException(into.length + " floats cannot hold " + size);
        }
        if (!(array instanceof PtNDArray pt)) {
            throw new IllegalArgumentException("not a PyTorch engine array: " + array.getClass());
        }
        // a non-contiguous array's contiguous copy is a new array: closed here, not with the
        // caller's manager
        try (NDScope copies = new NDScope()) {
            copies.suppressNotUsedWarning();
            pt.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer()
                    .get(into, 0, size);
        }
        return into;
    }
}
