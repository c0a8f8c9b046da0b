package ai.collectiveagency.prompts.pacing;

import java.util.Objects;

/**
 * One consumer group the prompt-generator paces by: tasks are sent while its lag, read by
 * {@code source}, is below {@code maxLag}. Every task becomes one record on each topic of the
 * loop (a task, its group of rollouts, its scored group), so a task sent counts towards the lag
 * of every paced group.
 *
 * @param group the consumer group, for logs and the {@code prompts_pacing_lag} gauge's tag
 * @param maxLag a bound above 0
 */
public record PacedGroup(String group, LagSource source, long maxLag) {

    public PacedGroup {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(source, "source");
        if (maxLag <= 0) {
            throw new IllegalArgumentException("maxLag of " + group + " must be > 0, was "
                    + maxLag);
        }
    }
}
