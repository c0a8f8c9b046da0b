package ai.collectiveagency.trainer;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Provenance;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Scenario;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.TrajectoryScore;
import ai.collectiveagency.schemas.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Scored groups with token ids in the vocabulary of {@code qwen2-tiny-random} (379) and short enough
 * for its 256 positions: per trajectory a persona A turn, a persona B turn and a resolution.
 */
public final class TestGroups {

    private TestGroups() {
    }

    /**
     * @param rewards one reward per trajectory (NaN: unscorable)
     * @param policyVersion the behaviour version recorded on every trajectory
     */
    public static ScoredGroup group(String taskId, long policyVersion, double... rewards) {
        SplittableRandom rng = new SplittableRandom(taskId.hashCode());
        List<Trajectory> trajectories = new ArrayList<>();
        List<TrajectoryScore> scores = new ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            String id = taskId + "-g-" + i;
            trajectories.add(Trajectory.newBuilder().setTrajectoryId(id)
                    .setPolicyVersion(policyVersion)
                    .setTurns(List.of(turn(Segment.PERSONA_A, rng), turn(Segment.PERSONA_B, rng),
                            turn(Segment.RESOLUTION, rng)))
                    .setAgreementReached(true).setRounds(2).setFailed(false)
                    .setResolution("resolution " + i).build());
            boolean unscorable = Double.isNaN(rewards[i]);
            scores.add(TrajectoryScore.newBuilder().setTrajectoryId(id)
                    .setReward(unscorable ? null : rewards[i])
                    .setBreakdown(Map.of()).setUnscorable(unscorable)
                    .setUnscorableReason(unscorable ? "timeout: judge" : null).build());
        }
        RolloutGroup group = RolloutGroup.newBuilder().setTask(task(taskId))
                .setGroupId(taskId + "-g").setCreatedAt(Instant.now()).setModel("qwen2-tiny-random")
                .setTrajectories(trajectories).build();
        return ScoredGroup.newBuilder().setGroup(group).setScores(scores).setScorerId("test")
                .setScorerVersion("1").setScoredAt(Instant.now()).build();
    }

    /** As {@link #group}, for a held-out task: the trainer evaluates it and never trains on it. */
    public static ScoredGroup heldOut(String taskId, long policyVersion, double... rewards) {
        ScoredGroup group = group(taskId, policyVersion, rewards);
        group.getGroup().getTask().setHeldOut(true);
        return group;
    }

    private static Turn turn(Segment segment, SplittableRandom rng) {
        List<Integer> prompt = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            prompt.add(10 + rng.nextInt(300));
        }
        List<Integer> completion = new ArrayList<>();
        List<Float> logprobs = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            completion.add(10 + rng.nextInt(300));
            logprobs.add(-6.0f - (float) rng.nextDouble());
        }
        return Turn.newBuilder().setSegment(segment).setText("t").setPromptTokenIds(prompt)
                .setCompletionTokenIds(completion).setCompletionLogprobs(logprobs)
                .setTemperature(0.7f).setTopP(0.95f).setFinishReason("length").build();
    }

    public static PromptTask task(String id) {
        return PromptTask.newBuilder().setTaskId(id)
                .setCreatedAt(Instant.parse("2026-11-26T00:00:00Z")).setMode(TaskMode.NEGOTIATION)
                .setScenario(new Scenario("River", "Both farms need the river.", "water",
                        "growth vs. care"))
                .setPersonaA(new Persona("Ana", "farmer", List.of("growth"), List.of("irrigate"),
                        List.of("no theft")))
                .setPersonaB(new Persona("Ben", "miller", List.of("care"), List.of("mill"),
                        List.of("no violence")))
                .setSeed(1).setProvenance(new Provenance(ProvenanceSource.FILE, "test", null))
                .setHeldOut(false).build();
    }
}
