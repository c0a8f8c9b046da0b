package ai.collectiveagency.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class OfflineEngineTest {

    @Test
    void engineStartsOfflineFromTheShippedNativeLibrary() {
        try (NDManager manager = OfflineEngine.manager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            assertThat(a.matMul(a).toFloatArray()).containsExactly(7, 10, 15, 22);
            assertThat(OfflineEngine.start().getEngineName()).isEqualTo("PyTorch");
        }
    }
}
