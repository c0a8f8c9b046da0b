package ai.collectiveagency.trainer.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettledGroupsTest {

    private static final TopicPartition P0 = new TopicPartition("scored", 0);

    @Test
    void anIdTakenUpSinceTheLastCheckpointIsSettled(@TempDir Path store) {
        SettledGroups settled = SettledGroups.resume(store.resolve("ledger"), Optional.empty(),
                1000, 0.001);

        settled.takenUp("a-g");

        assertThat(settled.settled("a-g", false)).isTrue();
        assertThat(settled.settled("b-g", false)).isFalse();
    }

    @Test
    void idsOfAWrittenLedgerFileSurviveAResumeThroughTheSavedFilter(@TempDir Path store)
            throws Exception {
        Path ledgerFolder = store.resolve("ledger");
        SettledGroups settled = SettledGroups.resume(ledgerFolder, Optional.empty(), 1000,
                0.001);
        Ledger ledger = new Ledger(ledgerFolder, settled);
        settled.takenUp("a-g");
        ledger.add(LedgerEntry.trained("a", "a-g", 1), P0, 0);
        settled.takenUp("h-g");
        ledger.add(LedgerEntry.heldOut("h", "h-g", 0), P0, 1);
        ledger.write(1, p -> 2);
        Path checkpoint = Files.createDirectories(store.resolve("v000001"));
        settled.saveInto(checkpoint);
        assertThat(settled.inMemory()).as("written ids leave memory").isZero();

        SettledGroups resumed = SettledGroups.resume(ledgerFolder, Optional.of(checkpoint),
                1000, 0.001);

        assertThat(resumed.settled("a-g", false)).isTrue();
        assertThat(resumed.settled("h-g", false)).isTrue();
        assertThat(resumed.settled("c-g", false)).isFalse();
    }

    @Test
    void aFilterHitThatTheLedgerDoesNotHoldIsNoDuplicate(@TempDir Path store) throws Exception {
        Path ledgerFolder = store.resolve("ledger");
        SettledGroups settled = SettledGroups.resume(ledgerFolder, Optional.empty(), 1000,
                0.001);
        new Ledger(ledgerFolder, settled).write(1, p -> 0);
        settled.written(List.of(LedgerEntry.trained("a", "a-g", 1)));
        Path checkpoint = Files.createDirectories(store.resolve("v000001"));
        settled.saveInto(checkpoint);

        // The filter says "maybe" for a-g, but no ledger file up to v1 names it: the record
        // that settled it belongs to a checkpoint that never landed.
        SettledGroups resumed = SettledGroups.resume(ledgerFolder, Optional.of(checkpoint),
                1000, 0.001);

        assertThat(resumed.settled("a-g", false)).isFalse();
    }

    @Test
    void aGroupSentBackFromTheDlqIsADuplicateOnlyOfATrainedOrEvaluatedOne(@TempDir Path store)
            throws Exception {
        Path ledgerFolder = store.resolve("ledger");
        SettledGroups settled = SettledGroups.resume(ledgerFolder, Optional.empty(), 1000,
                0.001);
        Ledger ledger = new Ledger(ledgerFolder, settled);
        settled.takenUp("dead-g");
        settled.deadLettered("dead-g");
        ledger.add(LedgerEntry.deadLettered("dead", "dead-g", "unfit: too long"), P0, 0);
        settled.takenUp("done-g");
        ledger.add(LedgerEntry.trained("done", "done-g", 1), P0, 1);
        settled.takenUp("late-g");
        settled.deadLettered("late-g");

        assertThat(settled.settled("late-g", true)).as("in memory").isFalse();
        assertThat(settled.settled("late-g", false)).isTrue();
        ledger.write(1, p -> 2);
        assertThat(settled.settled("dead-g", true)).as("in the ledger files").isFalse();
        assertThat(settled.settled("dead-g", false)).isTrue();
        assertThat(settled.settled("done-g", true)).isTrue();
    }

    @Test
    void entriesBehindAWaitingRecordWaitForALaterCheckpoint(@TempDir Path store) {
        Path ledgerFolder = store.resolve("ledger");
        SettledGroups settled = SettledGroups.resume(ledgerFolder, Optional.empty(), 1000,
                0.001);
        Ledger ledger = new Ledger(ledgerFolder, settled);
        ledger.add(LedgerEntry.trained("a", "a-g", 1), P0, 0);
        ledger.add(LedgerEntry.heldOut("h", "h-g", 0), P0, 2);

        // Offset 1 still waits for its step: a restart from this checkpoint reads 1 and 2 again.
        assertThat(ledger.write(1, p -> 1)).extracting(LedgerEntry::taskId).containsExactly("a");
        assertThat(ledger.pending()).isEqualTo(1);
        assertThat(ledger.write(2, p -> 3)).extracting(LedgerEntry::taskId).containsExactly("h");
        assertThat(LedgerFiles.readAll(ledgerFolder)).extracting(LedgerEntry::version)
                .containsExactly(1L, 2L);
    }
}
