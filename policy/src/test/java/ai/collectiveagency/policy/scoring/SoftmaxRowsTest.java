package ai.collectiveagency.policy.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The head's log-softmax rows in Java against the definitions in double precision: log p(t) =
 * l_t - log Σ exp l, entropy -Σ p log p, and backward g · (onehot(t) - p). A vocabulary of 37
 * leaves a remainder after whole vectors of 4, 8 or 16 lanes; logits spread over ±20 make
 * probabilities from near 1 to below 1e-15.
 */
class SoftmaxRowsTest {

    private static final int ROWS = 4;
    private static final int VOCAB = 37;
    private static final int[] TARGETS = {0, 36, 17, 5};

    @Test
    void scoresAndGradientsAreTheDefinitions() {
        double[][] logits = randomLogits();
        ByteBuffer memory = buffer(logits);

        LogitMemory view = new LogitMemory.Native(memory);
        SoftmaxRows.Scores scores = SoftmaxRows.score(view, ROWS, VOCAB, TARGETS);
        float[] gradients = {0.7f, -1.3f, 0f, 2.5f};
        SoftmaxRows.backward(view, ROWS, VOCAB, TARGETS, scores.logSumExp(), gradients);

        for (int r = 0; r < ROWS; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double l : logits[r]) {
                max = Math.max(max, l);
            }
            double sum = 0;
            for (double l : logits[r]) {
                sum += Math.exp(l - max);
            }
            double logSumExp = max + Math.log(sum);
            double entropy = 0;
            for (int v = 0; v < VOCAB; v++) {
                double logp = logits[r][v] - logSumExp;
                entropy -= Math.exp(logp) * logp;
                double expected = gradients[r] * ((v == TARGETS[r] ? 1 : 0) - Math.exp(logp));
                assertThat((double) memory.getFloat((r * VOCAB + v) * Float.BYTES))
                        .as("d/d logit[%d][%d]", r, v).isCloseTo(expected, within(1e-6));
            }
            assertThat((double) scores.logSumExp()[r]).as("log-sum-exp %d", r)
                    .isCloseTo(logSumExp, within(1e-5));
            assertThat((double) scores.logprobs()[r]).as("log p(target) %d", r)
                    .isCloseTo(logits[r][TARGETS[r]] - logSumExp, within(1e-5));
            assertThat((double) scores.entropies()[r]).as("entropy %d", r)
                    .isCloseTo(entropy, within(1e-5));
        }
    }

    @Test
    void aTargetOutsideTheVocabularyIsRefusedNotReadFromTheNextRow() {
        ByteBuffer memory = buffer(randomLogits());

        assertThatThrownBy(() -> SoftmaxRows.score(new LogitMemory.Native(memory), ROWS, VOCAB,
                new int[] {0, VOCAB + 2, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target token id 39 lies outside the vocabulary of 37");
        assertThatThrownBy(() -> SoftmaxRows.score(new LogitMemory.Native(memory), ROWS, VOCAB,
                new int[] {0, -1, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id -1");
    }

    private static double[][] randomLogits() {
        SplittableRandom random = new SplittableRandom(7);
        double[][] logits = new double[ROWS][VOCAB];
        for (double[] row : logits) {
            for (int v = 0; v < VOCAB; v++) {
                row[v] = (float) (40 * random.nextDouble() - 20); // exactly representable
            }
        }
        return logits;
    }

    private static ByteBuffer buffer(double[][] logits) {
        ByteBuffer memory = ByteBuffer.allocateDirect(ROWS * VOCAB * Float.BYTES)
                .order(ByteOrder.nativeOrder());
        for (int r = 0; r < ROWS; r++) {
            for (int v = 0; v < VOCAB; v++) {
                memory.putFloat((r * VOCAB + v) * Float.BYTES, (float) logits[r][v]);
            }
        }
        return memory;
    }
}
