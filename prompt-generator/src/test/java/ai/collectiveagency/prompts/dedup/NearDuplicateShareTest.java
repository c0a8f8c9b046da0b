package ai.collectiveagency.prompts.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.CombinatorialSource;
import ai.collectiveagency.prompts.seeds.SeedLists;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Measures how many of 10,000 combinatorial tasks are near-duplicates at the default threshold. */
class NearDuplicateShareTest {

    @Test
    void fewerThanOnePercentOfTenThousandCombinatorialTasksAreNearDuplicates() {
        var source = new CombinatorialSource(SeedLists.shipped(),
                CombinatorialConfig.defaults(1, Instant.parse("2026-01-01T00:00:00Z")));
        TaskDeduplicator.Counts counts =
                new TaskDeduplicator(new NearDuplicateFilter()).run(source.tasks(10_000), t -> { });
        System.out.printf("near-duplicate share of 10,000 combinatorial tasks (seed 1, "
                + "threshold %.2f): %d dropped = %.4f%n", NearDuplicateFilter.DEFAULT_THRESHOLD,
                counts.dropped(), counts.droppedShare());
        assertThat(counts.generated()).isEqualTo(10_000);
        assertThat(counts.droppedShare()).isLessThan(0.01);
    }
}
