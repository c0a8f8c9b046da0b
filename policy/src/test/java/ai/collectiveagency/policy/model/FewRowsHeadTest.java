package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The logits of a pass autograd does not record, up to {@code FewRowsProduct.maxRows()} rows (16
 * or 32, by vector width) in Java and past it in the engine, against the engine's product of the
 * same final states with the head: the same within float rounding, on either side of the limit.
 */
class FewRowsHeadTest {

    private static final LlamaConfig CONFIG = new LlamaConfig("llama", 64, 96, 2, 4, 2, 16, 301,
            256, 1e-5, 10000, true, false, null);

    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {1, 11, 16, 17, 32, 33})
    void lastPositionLogitsAreTheHeadsProduct(int rows) {
        SplittableRandom random = new SplittableRandom(rows);
        int[][] tokens = new int[rows][5];
        int[][] attention = new int[rows][5];
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < 5; t++) {
                tokens[b][t] = random.nextInt(CONFIG.vocabSize());
                attention[b][t] = t >= b % 3 ? 1 : 0; // some rows left-padded
            }
        }
        try (NDManager root = OfflineEngine.manager().newSubManager();
                Llama model = RandomWeights.model(CONFIG, 5, root);
                NDManager step = model.newStepManager();
                NoGradient noGradient = new NoGradient()) {
            float[] logits = model.forward(step, tokens, attention, null, true, false)
                    .toFloatArray();
            NDArray states = model.hidden(step, tokens, attention, null, 4, false);
            float[] expected = Linear.linear(states, model.outputHead()).singletonOrThrow()
                    .toFloatArray();
            assertThat(logits).hasSameSizeAs(expected).hasSize(rows * CONFIG.vocabSize());
            float scale = 0;
            for (float e : expected) {
                scale = Math.max(scale, Math.abs(e));
            }
            for (int i = 0; i < logits.length; i++) {
                assertThat(logits[i]).as("logit %d", i)
                        .isCloseTo(expected[i], within(1e-5f * scale));
            }
        }
    }
}
