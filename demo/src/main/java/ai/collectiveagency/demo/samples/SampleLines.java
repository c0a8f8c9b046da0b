package ai.collectiveagency.demo.samples;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.TrajectoryScore;
import ai.collectiveagency.schemas.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A scored group as {@code samples.jsonl}'s lines: one per trajectory, in the group's order. */
public final class SampleLines {

    private SampleLines() {
    }

    public static List<SampleLine> of(ScoredGroup scored) {
        PromptTask task = scored.getGroup().getTask();
        Map<String, TrajectoryScore> scores = scored.getScores().stream().collect(
                Collectors.toMap(TrajectoryScore::getTrajectoryId, Function.identity(),
                        (first, repeated) -> first));
        SampleLine.Persona a = persona(task.getPersonaA());
        SampleLine.Persona b = persona(task.getPersonaB());
        SampleLine.Scenario scenario = new SampleLine.Scenario(task.getScenario().getTitle(),
                task.getScenario().getDescription(), task.getScenario().getDomain(),
                task.getScenario().getValueConflict());
        String mode = task.getMode() == TaskMode.NEGOTIATION ? SampleLine.NEGOTIATION
                : task.getMode().name().toLowerCase(Locale.ROOT);
        List<Trajectory> trajectories = scored.getGroup().getTrajectories();
        List<SampleLine> lines = new ArrayList<>(trajectories.size());
        for (int i = 0; i < trajectories.size(); i++) {
            Trajectory t = trajectories.get(i);
            Optional<TrajectoryScore> score = Optional.ofNullable(
                    scores.get(t.getTrajectoryId()));
            lines.add(new SampleLine(task.getTaskId(), task.getHeldOut(), t.getPolicyVersion(),
                    a, b, dialogue(t, a, b), t.getResolution(), t.getAgreementReached(),
                    score.map(TrajectoryScore::getReward).filter(Double::isFinite).orElse(null),
                    scored.getGroup().getGroupId(), t.getTrajectoryId(), i,
                    trajectories.size(), mode, scenario, t.getRounds(),
                    score.map(SampleLines::unscorableReason).orElse("no score"),
                    score.map(SampleLines::breakdown).orElse(Map.of()), scored.getScorerId(),
                    scored.getScoredAt().toString()));
        }
        return lines;
    }

    private static List<SampleLine.Turn> dialogue(Trajectory trajectory, SampleLine.Persona a,
            SampleLine.Persona b) {
        return trajectory.getTurns().stream()
                .filter(t -> t.getSegment() == Segment.PERSONA_A
                        || t.getSegment() == Segment.PERSONA_B)
                .map(t -> new SampleLine.Turn(speaker(t, a, b), t.getText())).toList();
    }

    private static String speaker(Turn turn, SampleLine.Persona a, SampleLine.Persona b) {
        return (turn.getSegment() == Segment.PERSONA_A ? a : b).name();
    }

    /** Null for a scored trajectory; for an unscored one the scorer's reason, or a stand-in. */
    private static String unscorableReason(TrajectoryScore score) {
        if (score.getReward() != null && Double.isFinite(score.getReward())) {
            return null;
        }
        return score.getUnscorableReason() != null ? score.getUnscorableReason() : "unscorable";
    }

    /** The finite rubric terms, by name. */
    private static Map<String, Double> breakdown(TrajectoryScore score) {
        Map<String, Double> terms = new TreeMap<>();
        score.getBreakdown().forEach((name, value) -> {
            if (value != null && Double.isFinite(value)) {
                terms.put(name, value);
            }
        });
        return terms;
    }

    private static SampleLine.Persona persona(Persona p) {
        return new SampleLine.Persona(p.getName(), p.getRole(), p.getValues(), p.getGoals(),
                p.getConstraints());
    }
}
