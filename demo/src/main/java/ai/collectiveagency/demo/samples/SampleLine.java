package ai.collectiveagency.demo.samples;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line of {@code samples.jsonl}: one scored trajectory as a reader wants it, text only (no
 * token ids or log-probs). The JSON names are the components' in snake case, in this order.
 *
 * @param taskId the task's id
 * @param heldOut whether the task is an evaluation task (never trained on)
 * @param policyVersion the version of the policy that sampled the trajectory
 * @param personaA the persona that speaks first and writes the resolution
 * @param personaB the opposing persona (present but unused for a single answer)
 * @param dialogue the persona turns in order; empty for a single answer
 * @param resolution the resolution (or single answer); null when there was none
 * @param agreed whether the agreement check accepted a turn (always false for a single answer)
 * @param reward the trajectory's reward; null when the scorer could not score it
 * @param groupId the group the trajectory belongs to; a group's lines are consecutive
 * @param trajectoryId the trajectory's id within its group
 * @param trajectoryIndex its place in the group, from 0
 * @param groupSize the trajectories in the group
 * @param mode {@code negotiation} or {@code single}
 * @param scenario the task's scenario
 * @param rounds the dialogue rounds played
 * @param unscorableReason why the reward is null; null otherwise
 * @param breakdown the reward per rubric term, as the scorer reported it
 * @param scorerId the scorer that gave the reward
 * @param scoredAt when the group was scored (ISO-8601, UTC)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SampleLine(String taskId, boolean heldOut, long policyVersion, Persona personaA,
        Persona personaB, List<Turn> dialogue, String resolution, boolean agreed, Double reward,
        String groupId, String trajectoryId, int trajectoryIndex, int groupSize, String mode,
        Scenario scenario, int rounds, String unscorableReason, Map<String, Double> breakdown,
        String scorerId, String scoredAt) {

    /** The mode of a negotiation task. */
    public static final String NEGOTIATION = "negotiation";

    public SampleLine {
        // Lines written by another version may lack a list or map: read them as empty.
        dialogue = dialogue == null ? List.of() : List.copyOf(dialogue);
        breakdown = breakdown == null ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(breakdown));
    }

    /** Whether the trajectory was a negotiation (else a single answer). */
    public boolean negotiation() {
        return NEGOTIATION.equals(mode);
    }

    /** A stakeholder as the task gives it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Persona(String name, String role, List<String> values, List<String> goals,
            List<String> constraints) {

        public Persona {
            values = values == null ? List.of() : List.copyOf(values);
            goals = goals == null ? List.of() : List.copyOf(goals);
            constraints = constraints == null ? List.of() : List.copyOf(constraints);
        }
    }

    /** One persona turn: who spoke (the persona's name) and what. */
    public record Turn(String speaker, String text) {
    }

    /** The value conflict the personas face. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Scenario(String title, String description, String domain,
            String valueConflict) {
    }
}
