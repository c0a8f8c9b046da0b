package ai.collectiveagency.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.checkpoint.CheckpointLease;
import ai.collectiveagency.policy.checkpoint.CheckpointLeases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on a real store folder, with leases as replicas write them. */
class CheckpointRetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path root;

    private CheckpointDirectory writeVersions(int count) {
        CheckpointDirectory store = new CheckpointDirectory(root);
        for (int v = 1; v <= count; v++) {
            String text = "w" + v;
            store.write(v, f -> file(f, "weights", text));
        }
        return store;
    }

    private static void file(Path folder, String name, String text) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void lease(String replica, long serving, Long loading, Instant expiresAt)
            throws IOException {
        CheckpointLeases.of(root).write(new CheckpointLease(replica, serving, loading,
                expiresAt));
    }

    @Test
    void theNewestKVersionsAreKeptAndTheRestDeleted() throws IOException {
        CheckpointDirectory store = writeVersions(7);

        List<Long> deleted = new CheckpointRetention(3, List.of(), CLOCK).prune(store);

        assertThat(deleted).containsExactly(1L, 2L, 3L, 4L);
        assertThat(names()).containsExactly("v000005", "v000006", "v000007");
        assertThat(store.latestValid()).contains(root.resolve("v000007"));
    }

    @Test
    void versionsThatReplicasServeOrLoadAreKept() throws IOException {
        CheckpointDirectory store = writeVersions(7);
        lease("rollout-0", 2, 4L, NOW.plusSeconds(30));
        lease("rollout-1", 3, null, NOW.minusSeconds(1)); // lapsed: a replica killed -9

        List<Long> deleted = new CheckpointRetention(2, List.of(), CLOCK).prune(store);

        assertThat(deleted).containsExactly(1L, 3L, 5L);
        assertThat(names()).containsExactly(".leases", "v000002", "v000004", "v000006",
                "v000007");
    }

    @Test
    void pinnedVersionsFromTheSettingAndThePinnedFileAreKept() throws IOException {
        CheckpointDirectory store = writeVersions(6);
        Files.writeString(root.resolve(CheckpointRetention.PINNED_FILE),
                "# kept for the paper\n3\n\n  4  # the baseline\n");

        List<Long> deleted = new CheckpointRetention(1, List.of(1L), CLOCK).prune(store);

        assertThat(deleted).containsExactly(2L, 5L);
        assertThat(names()).containsExactly(CheckpointRetention.PINNED_FILE, "v000001",
                "v000003", "v000004", "v000006");
    }

    @Test
    void aPinnedFileThatDoesNotParseStopsThePrune() throws IOException {
        CheckpointDirectory store = writeVersions(4);
        Files.writeString(root.resolve(CheckpointRetention.PINNED_FILE), "v3\n");

        assertThat(new CheckpointRetention(1, List.of(), CLOCK).prune(store)).isEmpty();
        assertThat(store.versionFolders()).hasSize(4);
    }

    @Test
    void theVersionBeingWrittenIsNeverTouched() throws IOException {
        CheckpointDirectory store = writeVersions(3);
        file(root.resolve(".v4.partial"), "weights", "half written");

        List<Long> deleted = new CheckpointRetention(1, List.of(), CLOCK).prune(store);

        assertThat(deleted).containsExactly(1L, 2L);
        assertThat(names()).containsExactly(".v4.partial", "v000003");
        assertThat(Files.readString(root.resolve(".v4.partial/weights")))
                .isEqualTo("half written");
    }

    @Test
    void foldersLeftHiddenByAnInterruptedPruneAreDeletedNextTime() throws IOException {
        CheckpointDirectory store = writeVersions(2);
        file(root.resolve(".v1.deleting-1764130000000"), "weights", "half deleted");
        file(root.resolve(".v1.corrupt-1764130000000"), "weights", "kept for inspection");
        Files.createDirectories(root.resolve("ledger"));

        assertThat(new CheckpointRetention(5, List.of(), CLOCK).prune(store)).isEmpty();
        assertThat(names()).containsExactly(".v1.corrupt-1764130000000", "ledger", "v000001",
                "v000002");
    }

    @Test
    void leasesLapsedLongAgoAreRemovedAndRecentOnesStay() throws IOException {
        CheckpointDirectory store = writeVersions(2);
        lease("gone", 1, null, NOW.minus(CheckpointRetention.LAPSED_LEASES_KEPT)
                .minus(Duration.ofMinutes(1)));
        lease("restarting", 1, null, NOW.minusSeconds(5));
        lease("live", 2, null, NOW.plusSeconds(30));

        new CheckpointRetention(1, List.of(), CLOCK).prune(store);

        assertThat(CheckpointLeases.of(root).all()).extracting(CheckpointLease::replica)
                .containsExactly("live", "restarting");
        assertThat(names()).containsExactly(".leases", "v000002");
    }
}
