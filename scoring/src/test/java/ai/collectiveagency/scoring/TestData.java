package ai.collectiveagency.scoring;

import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;
import ai.collectiveagency.schemas.Provenance;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.Scenario;
import ai.collectiveagency.schemas.TaskMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A small task, texts to judge and groups to score. */
public final class TestData {

    private TestData() {
    }

    public static PromptTask task(String id) {
        return PromptTask.newBuilder()
                .setTaskId(id)
                .setCreatedAt(Instant.parse("2026-11-26T00:00:00Z"))
                .setMode(TaskMode.NEGOTIATION)
                .setScenario(new Scenario("River", "Both farms need the river in a dry summer.",
                        "water rights", "growth vs. care"))
                .setPersonaA(new Persona("Ana", "farmer", List.of("growth"), List.of("irrigate"),
                        List.of("no theft")))
                .setPersonaB(new Persona("Ben", "miller", List.of("care"), List.of("keep the mill"),
                        List.of("no violence")))
                .setSeed(1)
                .setProvenance(new Provenance(ProvenanceSource.FILE, "test", null))
                .setHeldOut(false)
                .build();
    }

    public static ScoringInput input(String text) {
        return new ScoringInput(task("t-1"), text);
    }

    /** A judge's answer under the CA rubric. */
    public static String caAnswer(int knowledge, int benevolence, int power, int vitality) {
        return "{\"scores\": {\"knowledge\": " + knowledge + ", \"benevolence\": " + benevolence
                + ", \"power\": " + power + ", \"vitality\": " + vitality
                + "}, \"rationale\": \"test\"}";
    }

    /** A group of trajectories ending with these resolutions (null: failed). */
    public static RolloutGroup group(String taskId, String... resolutions) {
        List<Trajectory> trajectories = new ArrayList<>();
        for (int i = 0; i < resolutions.length; i++) {
            Turn turn = Turn.newBuilder().setSegment(Segment.PERSONA_A).setText("hi")
                    .setPromptTokenIds(List.of(1, 2)).setCompletionTokenIds(List.of(3))
                    .setCompletionLogprobs(List.of(-0.5f)).setTemperature(0.7f).setTopP(0.95f)
                    .setFinishReason("stop").build();
            trajectories.add(Trajectory.newBuilder().setTrajectoryId(taskId + "-g-" + i)
                    .setPolicyVersion(3).setTurns(List.of(turn))
                    .setAgreementReached(resolutions[i] != null).setRounds(2)
                    .setFailed(resolutions[i] == null).setResolution(resolutions[i]).build());
        }
        return RolloutGroup.newBuilder().setTask(task(taskId)).setGroupId(taskId + "-g")
                .setCreatedAt(Instant.parse("2026-11-26T00:00:00Z")).setModel("m")
                .setTrajectories(trajectories).build();
    }
}
