package ai.collectiveagency.prompts.dedup;

import ai.collectiveagency.schemas.PromptTask;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Passes on the tasks of a run that are no near-duplicate of an earlier one, and counts. */
public final class TaskDeduplicator {

    private final NearDuplicateFilter filter;

    public TaskDeduplicator(NearDuplicateFilter filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    /** Hands each distinct task to {@code sink}, in order; the counts of the whole run. */
    public Counts run(Stream<PromptTask> tasks, Consumer<PromptTask> sink) {
        long[] generated = {0};
        tasks.forEach(task -> {
            generated[0]++;
            if (filter.admit(TaskText.of(task))) {
                sink.accept(task);
            }
        });
        return new Counts(generated[0], filter.droppedCount());
    }

    /**
     * @param generated tasks the source produced
     * @param dropped of those, near-duplicates that were dropped
     */
    public record Counts(long generated, long dropped) {

        public long kept() {
            return generated - dropped;
        }

        /** Dropped over generated; 0 for an empty run. */
        public double droppedShare() {
            return generated == 0 ? 0.0 : (double) dropped / generated;
        }
    }
}
