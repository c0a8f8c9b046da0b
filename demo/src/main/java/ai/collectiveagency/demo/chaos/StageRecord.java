package ai.collectiveagency.demo.chaos;

import java.util.Objects;

/**
 * A committed record of one stage's topic ({@code alignment.prompts}, {@code rollouts} or
 * {@code scored}): the task it is about (every record of these topics is keyed by its task id)
 * and where it is.
 */
record StageRecord(String taskId, int partition, long offset) {

    StageRecord {
        Objects.requireNonNull(taskId, "taskId");
    }
}
