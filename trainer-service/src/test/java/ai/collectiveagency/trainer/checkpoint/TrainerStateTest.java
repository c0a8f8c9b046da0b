package ai.collectiveagency.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerStateTest {

    @Test
    void theLedgerOfHeldOutGroupsSurvivesAWriteAndRead(@TempDir Path folder) {
        TrainerState state = new TrainerState(2, 2, "qwen2-tiny-random", "ab".repeat(32),
                Map.of("alignment.scored-0", 7L), Map.of(),
                List.of(new TrainerState.StepRecord(1, List.of("a", "b")),
                        new TrainerState.StepRecord(2, List.of("c", "d"))),
                List.of(new TrainerState.Dropped("x", "undecodable")),
                List.of(new TrainerState.HeldOut("h-1", 0), new TrainerState.HeldOut("h-2", 1)));

        state.write(folder);

        assertThat(TrainerState.read(folder)).isEqualTo(state);
    }

    @Test
    void aStateWrittenBeforeHeldOutGroupsWereRecordedReadsWithNone(@TempDir Path folder)
            throws Exception {
        Files.writeString(folder.resolve(TrainerState.FILE), """
                {
                  "step" : 1,
                  "version" : 1,
                  "base_model" : "qwen2-tiny-random",
                  "consumed_offsets" : { "alignment.scored-0" : 2 },
                  "role_baselines" : { },
                  "ledger" : [ { "step" : 1, "task_ids" : [ "a", "b" ] } ],
                  "dropped" : [ ]
                }
                """);

        TrainerState state = TrainerState.read(folder);

        assertThat(state.heldOut()).isEmpty();
        assertThat(state.ledger()).hasSize(1);
        assertThat(state.baseModelSha256()).as("written before identities were recorded")
                .isNull();
    }
}
