package ai.collectiveagency.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scalars of a recorded pass stay valid through garbage collection between the forward and
 * the backward pass (DJL's {@code mul(Number)} does not: its scalar's buffer is freed by then).
 */
class ScalarsTest {

    private final NDManager manager = OfflineEngine.manager();

    @AfterEach
    void close() {
        manager.close();
    }

    /** d/dx sum(op(x, value)) at x, with a collection and fresh direct buffers before backward. */
    private float[] gradient(float[] x, double value,
            BiFunction<NDArray, Double, NDArray> op) throws InterruptedException {
        NDArray input = manager.create(x);
        input.setRequiresGradient(true);
        try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
            NDArray y = op.apply(input, value).sum();
            collectAndReuseFreedBuffers();
            collector.backward(y);
        }
        return input.getGradient().toFloatArray();
    }

    /** Collects, lets cleaners free direct buffers, then fills new ones with a pattern. */
    private static void collectAndReuseFreedBuffers() throws InterruptedException {
        List<ByteBuffer> filler = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 64; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(8);
                b.putLong(0, 0x7f7f7f7f7f7f7f7fL);
                filler.add(b);
            }
        }
    }

    @Test
    void aProductsGradientSurvivesACollection() throws InterruptedException {
        assertThat(gradient(new float[] {1, 2, 3}, 0.5, Scalars::mul))
                .containsExactly(0.5f, 0.5f, 0.5f);
    }

    @Test
    void aQuotientsGradientSurvivesACollection() throws InterruptedException {
        assertThat(gradient(new float[] {1, 2}, 4, Scalars::div)).containsExactly(0.25f, 0.25f);
    }

    @Test
    void aPowersGradientSurvivesACollection() throws InterruptedException {
        // d/dx x^-0.5 = -0.5 x^-1.5
        float[] g = gradient(new float[] {1, 4}, -0.5, Scalars::pow);
        assertThat(g[0]).isCloseTo(-0.5f, within(1e-7f));
        assertThat(g[1]).isCloseTo(-0.0625f, within(1e-7f));
    }

    @Test
    void theScalarTakesTheArraysType() {
        NDArray x = manager.create(new float[] {1});
        assertThat(Scalars.of(x, 2).getDataType()).isEqualTo(x.getDataType());
        assertThat(Scalars.of(x, 2).getShape().dimension()).isZero();
    }
}
