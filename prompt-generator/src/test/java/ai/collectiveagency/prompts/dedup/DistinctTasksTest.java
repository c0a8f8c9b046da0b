package ai.collectiveagency.prompts.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.CombinatorialSource;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.schemas.PromptTask;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DistinctTasksTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void handsOutTheSourceTasksInOrderStampedWithTheClock() {
        CombinatorialSource source = new CombinatorialSource(SeedLists.shipped(),
                CombinatorialConfig.defaults(7, Instant.EPOCH));
        DistinctTasks tasks = new DistinctTasks(i -> Optional.of(source.task(i)), new NearDuplicateFilter(), CLOCK, 10);

        List<PromptTask> first = Stream.generate(() -> tasks.next().orElseThrow()).limit(3).toList();

        assertThat(first).extracting(PromptTask::getTaskId)
                .containsExactly("comb-7-0", "comb-7-1", "comb-7-2");
        assertThat(first).extracting(PromptTask::getCreatedAt).containsOnly(NOW);
        assertThat(tasks.handedOut()).isEqualTo(3);
        assertThat(tasks.dropped()).isZero();
    }

    @Test
    void skipsNearDuplicatesAndCountsThem() {
        PromptTask same = new CombinatorialSource(SeedLists.shipped(),
                CombinatorialConfig.defaults(1, Instant.EPOCH)).task(0);
        PromptTask other = new CombinatorialSource(SeedLists.shipped(),
                CombinatorialConfig.defaults(1, Instant.EPOCH)).task(1);
        DistinctTasks tasks = new DistinctTasks(
                i -> Optional.of(i < 3 ? same : other), new NearDuplicateFilter(), CLOCK, 10);

        assertThat(tasks.next().orElseThrow().getTaskId()).isEqualTo(same.getTaskId());
        assertThat(tasks.next().orElseThrow().getTaskId()).isEqualTo(other.getTaskId());
        assertThat(tasks.dropped()).isEqualTo(2);
    }

    @Test
    void anExhaustedSourceFailsInsteadOfSpinning() {
        PromptTask same = new CombinatorialSource(SeedLists.shipped(),
                CombinatorialConfig.defaults(1, Instant.EPOCH)).task(0);
        DistinctTasks tasks = new DistinctTasks(i -> Optional.of(same), new NearDuplicateFilter(), CLOCK, 5);
        tasks.next();

        assertThatThrownBy(tasks::next)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("5 tasks in a row were near-duplicates");
        assertThat(tasks.dropped()).isEqualTo(5);
    }

    @Test
    void anIndexTheSourceCouldNotMakeYieldsNothingAndTheRunGoesOn() {
        PromptTask task = new CombinatorialSource(SeedLists.shipped(),
                CombinatorialConfig.defaults(1, Instant.EPOCH)).task(0);
        DistinctTasks tasks = new DistinctTasks(
                i -> i == 0 ? Optional.empty() : Optional.of(task), new NearDuplicateFilter(),
                CLOCK, 5);

        assertThat(tasks.next()).isEmpty();
        assertThat(tasks.next()).contains(task);
        assertThat(tasks.handedOut()).isEqualTo(1);
        assertThat(tasks.dropped()).isZero();
    }
}
