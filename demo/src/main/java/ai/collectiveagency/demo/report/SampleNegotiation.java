package ai.collectiveagency.demo.report;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.TrajectoryScore;
import ai.collectiveagency.schemas.Turn;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One scored group as the report shows it: the scenario, one trajectory's dialogue, its
 * resolution and reward. Only text is kept (no token ids or log-probs), so samples stay small.
 *
 * @param groupId the group's id
 * @param policyVersion the version that sampled the group (the lowest among its trajectories)
 * @param heldOut whether the task was an evaluation task
 * @param negotiation true for self-play between two personas, false for a single answer
 * @param title the scenario's title
 * @param scenario the scenario's description
 * @param valueConflict the values in tension
 * @param personaA persona A, as "name (role)"
 * @param personaB persona B, as "name (role)"
 * @param dialogue the persona turns in order (empty for a single answer)
 * @param resolution the resolution or answer; null when there was no agreement
 * @param reward the trajectory's reward; null when unscorable
 * @param rewardNote why the trajectory was unscorable; null otherwise
 * @param groupMeanReward mean reward of the group's scored trajectories (NaN: none scored)
 * @param trajectories trajectories in the group
 */
public record SampleNegotiation(String groupId, long policyVersion, boolean heldOut,
        boolean negotiation, String title, String scenario, String valueConflict,
        String personaA, String personaB, List<Line> dialogue, String resolution, Double reward,
        String rewardNote, double groupMeanReward, int trajectories) {

    /** One turn of the dialogue. */
    public record Line(String speaker, String text) {
    }

    public SampleNegotiation {
        dialogue = List.copyOf(dialogue);
    }

    /**
     * The group's first trajectory that reached a resolution, or its first one when none did: a
     * resolution says the most about the policy, and the same rule on both sides of the report
     * keeps the first and last versions comparable.
     */
    public static SampleNegotiation of(ScoredGroup scored) {
        List<Trajectory> all = scored.getGroup().getTrajectories();
        Trajectory shown = all.stream().filter(t -> t.getResolution() != null).findFirst()
                .orElse(all.get(0));
        TrajectoryScore score = scored.getScores().stream()
                .filter(s -> s.getTrajectoryId().equals(shown.getTrajectoryId())).findFirst()
                .orElse(null);
        PromptTask task = scored.getGroup().getTask();
        OptionalDouble mean = scored.getScores().stream().map(TrajectoryScore::getReward)
                .filter(Objects::nonNull).mapToDouble(Double::doubleValue).average();
        return new SampleNegotiation(scored.getGroup().getGroupId(), version(scored),
                task.getHeldOut(), task.getMode() == TaskMode.NEGOTIATION,
                task.getScenario().getTitle(), task.getScenario().getDescription(),
                task.getScenario().getValueConflict(), named(task.getPersonaA()),
                named(task.getPersonaB()), dialogue(shown, task), shown.getResolution(),
                score == null ? null : score.getReward(),
                score == null ? "no score" : score.getUnscorableReason(),
                mean.orElse(Double.NaN), all.size());
    }

    /** The behaviour version of a group: the lowest that sampled any of its trajectories. */
    public static long version(ScoredGroup scored) {
        return scored.getGroup().getTrajectories().stream()
                .mapToLong(Trajectory::getPolicyVersion).min().orElse(0);
    }

    private static List<Line> dialogue(Trajectory trajectory, PromptTask task) {
        return trajectory.getTurns().stream()
                .filter(t -> t.getSegment() == Segment.PERSONA_A
                        || t.getSegment() == Segment.PERSONA_B)
                .map(t -> new Line(speaker(t, task), t.getText())).toList();
    }

    private static String speaker(Turn turn, PromptTask task) {
        return (turn.getSegment() == Segment.PERSONA_A ? task.getPersonaA()
                : task.getPersonaB()).getName();
    }

    private static String named(Persona persona) {
        return persona.getName() + " (" + persona.getRole() + ")";
    }
}
