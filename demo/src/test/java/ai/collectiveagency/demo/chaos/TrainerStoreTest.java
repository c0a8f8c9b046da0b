package ai.collectiveagency.demo.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's store as the trainer writes it: version folders with manifests, a ledger. */
class TrainerStoreTest {

    private static final TopicCatalogue TOPICS = TopicCatalogue.defaults();

    @TempDir
    Path store;

    @Test
    void anEmptyStoreHasNoCheckpointAndNoLedger() {
        TrainerStore trainer = new TrainerStore(store.resolve("none-yet"));

        assertThat(trainer.latestValid()).isEmpty();
        assertThat(trainer.ledger(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void theNewestCheckpointThatVerifiesCountsAndATamperedOneIsSkipped() throws IOException {
        checkpoint(1, 4);
        checkpoint(2, 9);
        checkpoint(3, 13);
        Files.writeString(store.resolve("v000003").resolve(TrainerStore.STATE), "{}");

        TrainerStore.Checkpoint latest = new TrainerStore(store).latestValid().orElseThrow();

        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.offsetsOf(TOPICS.name(LogicalTopic.SCORED)))
                .isEqualTo(Map.of(0, 9L, 2, 1L));
    }

    @Test
    void ledgerFilesAfterTheCheckpointsVersionDoNotCount() throws IOException {
        ledger(1, """
                {"kind":"trained","task_id":"t-0","group_id":"t-0-g","step":1,"version":1}
                {"kind":"held_out","task_id":"t-1","group_id":"t-1-g","policy_version":0,\
                "version":1}
                {"kind":"no_signal","task_id":"t-4","group_id":"t-4-g","policy_version":0,\
                "version":1}
                """);
        ledger(2, """
                {"kind":"dead_lettered","task_id":"t-2","group_id":null,"reason":"tombstone",\
                "version":2}
                {"kind":"duplicate","task_id":"t-0","group_id":"t-0-g","version":2}
                """);
        ledger(3, """
                {"kind":"trained","task_id":"t-3","group_id":"t-3-g","step":3,"version":3}
                """);

        assertThat(new TrainerStore(store).ledger(2)).containsExactlyInAnyOrder(
                new LedgerEntry(LedgerEntry.Kind.TRAINED, "t-0", "t-0-g", 1),
                new LedgerEntry(LedgerEntry.Kind.HELD_OUT, "t-1", "t-1-g", 1),
                new LedgerEntry(LedgerEntry.Kind.NO_SIGNAL, "t-4", "t-4-g", 1),
                new LedgerEntry(LedgerEntry.Kind.DEAD_LETTERED, "t-2", null, 2),
                new LedgerEntry(LedgerEntry.Kind.DUPLICATE, "t-0", "t-0-g", 2));
    }

    /** Version {@code version}, its state's offsets: partition 0 at {@code next}, 2 at 1. */
    private void checkpoint(long version, long next) throws IOException {
        Path folder = Files.createDirectories(store.resolve(String.format("v%06d", version)));
        String scored = TOPICS.name(LogicalTopic.SCORED);
        Files.writeString(folder.resolve(TrainerStore.STATE), """
                {"step":%d,"version":%d,"consumed_offsets":{"%s-0":%d,"%s-2":1,"%s-0":5}}
                """.formatted(version * 2, version, scored, next, scored,
                TOPICS.name(LogicalTopic.METRICS)));
        Files.writeString(folder.resolve("adapter.bin"), "weights of v" + version);
        Sha256Manifest.write(folder);
    }

    private void ledger(long version, String lines) throws IOException {
        Path folder = Files.createDirectories(store.resolve(TrainerStore.LEDGER));
        Files.writeString(folder.resolve(String.format("v%010d.jsonl", version)), lines);
    }
}
