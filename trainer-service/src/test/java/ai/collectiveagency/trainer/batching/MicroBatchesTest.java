package ai.collectiveagency.trainer.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.training.TrainingBatch;
import ai.collectiveagency.schemas.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

class MicroBatchesTest {

    private static TrainingRow row(String task, int promptLength, int completionLength,
            double advantage) {
        int[] prompt = new int[promptLength];
        int[] completion = new int[completionLength];
        float[] logprobs = new float[completionLength];
        for (int i = 0; i < promptLength; i++) {
            prompt[i] = 100 + i;
        }
        for (int k = 0; k < completionLength; k++) {
            completion[k] = 200 + k;
            logprobs[k] = -1f - k;
        }
        return new TrainingRow(task, Segment.PERSONA_A, prompt, completion, logprobs, advantage);
    }

    private static List<TrainingSequence> separate(TrainingRow... rows) {
        return SharedPrefixes.separate(List.of(rows));
    }

    @Test
    void shortRowsArePaddedOnTheRightWithAttentionZero() {
        TrainingBatch batch = MicroBatches.pack(separate(row("a", 2, 1, 1), row("b", 3, 2, -1)), 2).get(0);

        assertThat(batch.tokens()[0]).containsExactly(100, 101, 200, 0, 0);
        assertThat(batch.attention()[0]).containsExactly(1, 1, 1, 0, 0);
        assertThat(batch.tokens()[1]).containsExactly(100, 101, 102, 200, 201);
        assertThat(batch.attention()[1]).containsExactly(1, 1, 1, 1, 1);
    }

    @Test
    void theLossMaskAndBehaviourLogprobsSitOnTheCompletionTargets() {
        TrainingBatch batch = MicroBatches.pack(separate(row("a", 3, 2, 0.5)), 1).get(0);

        // Target t is tokens[t + 1]: the completion (positions 3, 4) is targets 2 and 3.
        assertThat(batch.lossMask()[0]).containsExactly(0f, 0f, 1f, 1f);
        assertThat(batch.oldLogprobs()[0]).containsExactly(0f, 0f, -1f, -2f);
        assertThat(batch.advantages()).containsExactly(0.5);
        assertThat(batch.maskedTokens()).isEqualTo(2);
    }

    @Test
    void rowsArePackedByLengthStablyAndAtMostPerBatch() {
        List<TrainingRow> rows = List.of(row("long", 5, 3, 1), row("short", 1, 1, 2),
                row("mid-1", 2, 2, 3), row("mid-2", 3, 1, 4), row("short-2", 1, 1, 5));

        List<TrainingBatch> batches = MicroBatches.pack(SharedPrefixes.separate(rows), 2);

        assertThat(batches).hasSize(3);
        assertThat(batches).extracting(b -> b.advantages().length).containsExactly(2, 2, 1);
        // Lengths 2, 2 | 4, 4 | 8; ties keep the input order (short before short-2).
        assertThat(batches.get(0).advantages()).containsExactly(2, 5);
        assertThat(batches.get(1).advantages()).containsExactly(3, 4);
        assertThat(batches.get(2).advantages()).containsExactly(1);
        List<TrainingBatch> again = MicroBatches.pack(SharedPrefixes.separate(rows), 2);
        for (int i = 0; i < batches.size(); i++) {
            assertThat(again.get(i).tokens()).isDeepEqualTo(batches.get(i).tokens());
            assertThat(again.get(i).oldLogprobs()).isDeepEqualTo(batches.get(i).oldLogprobs());
        }
    }

    @Test
    void fewerThanOneRowPerBatchIsRefused() {
        assertThatThrownBy(() -> MicroBatches.pack(separate(row("a", 1, 1, 0)), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be >= 1, was 0");
    }
}
