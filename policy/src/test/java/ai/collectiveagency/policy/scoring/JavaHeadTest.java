package ai.collectiveagency.policy.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.NativeFloats;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link JavaHead}'s logits follow the head as it is at each load, whether it is trained or
 * frozen; a frozen head unchanged since the last load is not packed again.
 */
class JavaHeadTest {

    private static final int VOCAB = 100;
    private static final int HIDDEN = 40;
    private static final int ROWS = 3;

    @ParameterizedTest(name = "trained head: {0}")
    @ValueSource(booleans = {false, true})
    void logitsFollowTheHeadWrittenInPlaceBetweenLoads(boolean trained) {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = randoms(random, ROWS * HIDDEN);
        try (NDManager manager = OfflineEngine.manager().newSubManager()) {
            float[] values = randoms(random, VOCAB * HIDDEN);
            NDArray weights = NativeFloats.create(manager, values, new Shape(VOCAB, HIDDEN));
            weights.setRequiresGradient(trained);
            JavaHead head = new JavaHead();

            head.load(weights);
            assertLogits(head, x, values);
            head.load(weights); // unchanged
            assertLogits(head, x, values);
            assertThat(head.packs()).as("a frozen head unchanged is packed once")
                    .isEqualTo(trained ? 2 : 1);

            values[5 * HIDDEN + 3] += 1f; // one weight of one row, written in place
            NativeFloats.view(weights).orElseThrow().asFloatBuffer().put(values);
            head.load(weights);
            assertLogits(head, x, values);
            assertThat(head.packs()).isEqualTo(trained ? 3 : 2);
        }
    }

    private static void assertLogits(JavaHead head, float[] x, float[] weights) {
        float[] logits = new float[ROWS * VOCAB];
        head.logits(x, ROWS, logits);
        for (int r = 0; r < ROWS; r++) {
            for (int v = 0; v < VOCAB; v++) {
                double sum = 0;
                for (int i = 0; i < HIDDEN; i++) {
                    sum += (double) x[r * HIDDEN + i] * weights[v * HIDDEN + i];
                }
                assertThat(logits[r * VOCAB + v]).as("row %d, token %d", r, v)
                        .isCloseTo((float) sum, within(1e-4f));
            }
        }
    }

    private static float[] randoms(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
