package ai.collectiveagency.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** {@link NativeFloats}: the values row-major, the engine's temporaries freed, float32 only. */
class NativeFloatsTest {

    @Test
    void aTransposedViewIsReadRowMajorAndItsContiguousCopyFreed() {
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            NDArray view = m.arange(24f).reshape(2, 3, 4).transpose(0, 2, 1); // not contiguous
            float[] expected = view.toFloatArray();
            int arrays = m.getManagedArrays().size();
            float[] into = new float[30];

            NativeFloats.copy(view, into);

            assertThat(java.util.Arrays.copyOf(into, 24)).containsExactly(expected);
            assertThat(into[0]).isEqualTo(0f);
            assertThat(into[1]).isEqualTo(4f); // row-major over the view's (2, 4, 3) shape
            assertThat(m.getManagedArrays()).as("arrays left with the caller's manager")
                    .hasSize(arrays);
        }
    }

    @Test
    void otherTypesAndShortArraysAreRefused() {
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            NDArray doubles = m.zeros(new Shape(4), DataType.FLOAT64);
            assertThatThrownBy(() -> NativeFloats.copy(doubles, new float[4]))
                    .hasMessageContaining("float32").hasMessageContaining("float64");
            assertThatThrownBy(() -> NativeFloats.copy(m.zeros(new Shape(5)), new float[4]))
                    .hasMessageContaining("4 floats cannot hold 5");
        }
    }
}
