package ai.collectiveagency.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerStateTest {

    private static final String SCORED_0 = TopicCatalogue.defaults().name(LogicalTopic.SCORED)
            + "-0";

    @Test
    void aStateSurvivesAWriteAndRead(@TempDir Path folder) {
        TrainerState state = new TrainerState(2, 2, "qwen2-tiny-random", "ab".repeat(32),
                Map.of(SCORED_0, 7L), Map.of("A", 0.25));

        state.write(folder);

        assertThat(TrainerState.read(folder)).isEqualTo(state);
    }

    @Test
    void aStateWithTheOldLedgerListsReadsAndPassesThemOver(@TempDir Path folder)
            throws Exception {
        Files.writeString(folder.resolve(TrainerState.FILE), """
                {
                  "step" : 1,
                  "version" : 1,
                  "base_model" : "qwen2-tiny-random",
                  "consumed_offsets" : { "%s" : 2 },
                  "role_baselines" : { },
                  "ledger" : [ { "step" : 1, "task_ids" : [ "a", "b" ] } ],
                  "dropped" : [ { "task_id" : "x", "reason" : "undecodable" } ],
                  "held_out" : [ { "task_id" : "h-1", "policy_version" : 0 } ]
                }
                """.formatted(SCORED_0));

        TrainerState state = TrainerState.read(folder);

        assertThat(state.step()).isEqualTo(1);
        assertThat(state.consumedOffsets()).containsEntry(SCORED_0, 2L);
        assertThat(state.baseModelSha256()).as("written before identities were recorded")
                .isNull();
    }

    @Test
    void theStateFileDoesNotGrowWithTheRun(@TempDir Path early, @TempDir Path late) {
        new TrainerState(1, 1, "qwen2-tiny-random", "ab".repeat(32),
                Map.of(SCORED_0, 10L), Map.of()).write(early);
        new TrainerState(900_001, 180_001, "qwen2-tiny-random", "ab".repeat(32),
                Map.of(SCORED_0, 90_000_000L), Map.of()).write(late);

        assertThat(late.resolve(TrainerState.FILE).toFile().length())
                .isLessThan(early.resolve(TrainerState.FILE).toFile().length() + 32);
    }
}
