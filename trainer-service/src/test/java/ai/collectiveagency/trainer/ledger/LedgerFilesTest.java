package ai.collectiveagency.trainer.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerFilesTest {

    @Test
    void eachKindIsWrittenInTheContractsFormat(@TempDir Path folder) throws Exception {
        LedgerFiles.write(folder, 3, List.of(
                LedgerEntry.trained("t-1", "t-1-g", 12),
                LedgerEntry.heldOut("h-1", "h-1-g", 2),
                LedgerEntry.noSignal("n-1", "n-1-g", 1),
                LedgerEntry.deadLettered("t-2", "t-2-g", "stale: sampled 5 versions behind"),
                LedgerEntry.deadLettered("bad", null, "undecodable: not a ScoredGroup"),
                LedgerEntry.duplicate("t-1", "t-1-g")));

        assertThat(Files.readAllLines(folder.resolve("v0000000003.jsonl"))).containsExactly(
                "{\"kind\":\"trained\",\"task_id\":\"t-1\",\"group_id\":\"t-1-g\",\"step\":12,"
                        + "\"version\":3}",
                "{\"kind\":\"held_out\",\"task_id\":\"h-1\",\"group_id\":\"h-1-g\","
                        + "\"policy_version\":2,\"version\":3}",
                "{\"kind\":\"no_signal\",\"task_id\":\"n-1\",\"group_id\":\"n-1-g\","
                        + "\"policy_version\":1,\"version\":3}",
                "{\"kind\":\"dead_lettered\",\"task_id\":\"t-2\",\"group_id\":\"t-2-g\","
                        + "\"reason\":\"stale: sampled 5 versions behind\",\"version\":3}",
                "{\"kind\":\"dead_lettered\",\"task_id\":\"bad\",\"group_id\":null,"
                        + "\"reason\":\"undecodable: not a ScoredGroup\",\"version\":3}",
                "{\"kind\":\"duplicate\",\"task_id\":\"t-1\",\"group_id\":\"t-1-g\","
                        + "\"version\":3}");
    }

    @Test
    void readingUpToAVersionReturnsItsFilesInOrderWithTheirVersions(@TempDir Path folder) {
        LedgerFiles.write(folder, 2, List.of(LedgerEntry.trained("b", "b-g", 2)));
        LedgerFiles.write(folder, 1, List.of(LedgerEntry.trained("a", "a-g", 1)));
        LedgerFiles.write(folder, 3, List.of(LedgerEntry.trained("c", "c-g", 3)));

        assertThat(LedgerFiles.readUpTo(folder, 2)).containsExactly(
                LedgerEntry.trained("a", "a-g", 1).in(1), LedgerEntry.trained("b", "b-g", 2).in(2));
        assertThat(LedgerFiles.readAll(folder)).hasSize(3);
    }

    @Test
    void filesOfCheckpointsThatNeverLandedAreDeleted(@TempDir Path folder) throws Exception {
        LedgerFiles.write(folder, 1, List.of(LedgerEntry.trained("a", "a-g", 1)));
        LedgerFiles.write(folder, 2, List.of(LedgerEntry.trained("b", "b-g", 2)));
        Files.writeString(folder.resolve(".v0000000003.jsonl.partial"), "{\"kind\":");

        LedgerFiles.deleteAfter(folder, 1);

        try (var left = Files.list(folder)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(
                    "v0000000001.jsonl");
        }
    }

    @Test
    void theNewestSettlingEntryOfAGroupIsFound(@TempDir Path folder) {
        LedgerFiles.write(folder, 1, List.of(
                LedgerEntry.deadLettered("a", "a-g", "stale: old"),
                LedgerEntry.trained("ab", "ab-g", 1)));
        LedgerFiles.write(folder, 2, List.of(LedgerEntry.duplicate("a", "a-g")));

        assertThat(LedgerFiles.findNewest(folder, "a-g", e -> e.kind().settles()))
                .hasValueSatisfying(e -> assertThat(e.kind())
                        .isEqualTo(LedgerEntry.Kind.DEAD_LETTERED));
        assertThat(LedgerFiles.findNewest(folder, "a-g",
                e -> e.kind() == LedgerEntry.Kind.TRAINED)).isEmpty();
        assertThat(LedgerFiles.findNewest(folder, "b-g", e -> true)).isEmpty();
    }
}
