package ai.collectiveagency.demo;

import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.ComparedPair;
import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Provenance;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Scenario;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.TrajectoryScore;
import ai.collectiveagency.schemas.Turn;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Well-formed records of the topics the demo reads, built the way the services build them. */
public final class PipelineEvents {

    public static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

    private PipelineEvents() {
    }

    public static TrainingMetrics step(long step, double reward) {
        return step(step, Map.of("reward_mean", reward, "kl", 0.01 * step, "loss", -0.1 * step,
                "clip_fraction", 0.0, "staleness_mean", 1.0));
    }

    private static TrainingMetrics step(long step, Map<String, Double> metrics) {
        return TrainingMetrics.newBuilder().setStep(step).setPolicyVersion(step / 2)
                .setRecordedAt(AT).setMetrics(metrics).build();
    }

    /**
     * A trainer step as {@link #step(long, double)}, with the papers' figures besides: the
     * share of groups with zero advantage, of negotiations without agreement, the mean rounds
     * and the group minimum.
     */
    public static TrainingMetrics step(long step, double reward, double zeroAdvantageShare,
            double noAgreementRate, double roundsMean, double rewardGroupMin) {
        Map<String, Double> metrics = new HashMap<>(step(step, reward).getMetrics());
        metrics.putAll(Map.of("zero_advantage_share", zeroAdvantageShare,
                "no_agreement_rate", noAgreementRate, "rounds_mean", roundsMean,
                "reward_group_min", rewardGroupMin));
        return step(step, metrics);
    }

    /**
     * A win-rate evaluation as the evaluation-service reports it: {@code version} against
     * {@code against} on {@code set} in {@code decoding}, with the counts given, the win rate
     * {@code (wins + ties / 2) / n}, a made-up interval of +-0.1 around it, and {@code pairs}.
     */
    public static EvalResult winRate(long version, String set, String decoding, String against,
            int wins, int ties, int losses, ComparedPair... pairs) {
        int n = wins + ties + losses;
        double rate = (wins + ties / 2.0) / n;
        return EvalResult.newBuilder().setEvaluation("win-rate").setPolicyVersion(version)
                .setRecordedAt(AT).setSampleCount(n).setAgainst(against).setEvalSet(set)
                .setDecoding(decoding)
                .setMetrics(Map.of("win_rate", rate, "ci_low", Math.max(0, rate - 0.1),
                        "ci_high", Math.min(1, rate + 0.1), "wins", (double) wins,
                        "ties", (double) ties, "losses", (double) losses, "n", (double) n,
                        "failed", 0.0, "policy_ca_mean", 0.4, "against_ca_mean", 0.3))
                .setPairs(List.of(pairs)).build();
    }

    /** A judged pair of task {@code taskId}: the policy's and the opponent's text, verdicts. */
    public static ComparedPair pair(String taskId, String policyText, String againstText,
            String policyFirst, String againstFirst, String outcome) {
        return ComparedPair.newBuilder().setTaskId(taskId).setTitle("The orchard " + taskId)
                .setPolicyText(policyText).setAgainstText(againstText)
                .setPolicyFirst(policyFirst).setAgainstFirst(againstFirst).setOutcome(outcome)
                .build();
    }

    /** A held-out evaluation as the trainer reports it. */
    public static EvalResult heldOut(long trainerStep, long version, int samples, double reward) {
        return evaluation("held-out", trainerStep, version, samples, reward);
    }

    public static EvalResult evaluation(String name, long trainerStep, long version,
            int samples, double reward) {
        return EvalResult.newBuilder().setEvaluation(name).setPolicyVersion(version)
                .setRecordedAt(AT).setSampleCount(samples)
                .setMetrics(Map.of("reward_mean", reward, "reward_std", 0.1,
                        "agreement_rate", 0.5, "trainer_step", (double) trainerStep))
                .build();
    }

    public static PolicyCheckpoint checkpoint(long version, long step, long scoredOffset) {
        return PolicyCheckpoint.newBuilder().setVersion(version).setStep(step)
                .setUri("file:///checkpoints/v" + version).setSha256("ab".repeat(32))
                .setFormat(CheckpointFormat.LORA).setBaseModel("qwen2-tiny-random")
                .setCreatedAt(AT).setMetrics(Map.of("step", (double) step))
                .setConsumedOffsets(Map.of(
                        TopicCatalogue.defaults().name(LogicalTopic.SCORED) + "-0", scoredOffset))
                .build();
    }

    /**
     * A negotiation group sampled by {@code version}: trajectory i has reward {@code rewards[i]};
     * the first one ends without agreement, the others agree on {@code text}'s resolution.
     */
    public static ScoredGroup negotiation(String groupId, long version, String text,
            double... rewards) {
        return negotiation(groupId, version, false, text, rewards);
    }

    public static ScoredGroup negotiation(String groupId, long version, boolean heldOut,
            String text, double... rewards) {
        List<Trajectory> trajectories = new ArrayList<>();
        List<TrajectoryScore> scores = new ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            boolean agreed = i > 0;
            List<Turn> turns = new ArrayList<>(List.of(
                    turn(Segment.PERSONA_A, "Ana opens: " + text),
                    turn(Segment.PERSONA_B, "Ben answers: " + text)));
            if (agreed) {
                turns.add(turn(Segment.RESOLUTION, "Resolved: " + text));
            }
            trajectories.add(Trajectory.newBuilder().setTrajectoryId(groupId + "-t" + i)
                    .setPolicyVersion(version).setTurns(turns).setAgreementReached(agreed)
                    .setRounds(1).setFailed(!agreed)
                    .setResolution(agreed ? "Resolved: " + text : null).build());
            scores.add(TrajectoryScore.newBuilder().setTrajectoryId(groupId + "-t" + i)
                    .setReward(rewards[i]).setBreakdown(Map.of()).setUnscorable(false).build());
        }
        return ScoredGroup.newBuilder().setGroup(RolloutGroup.newBuilder()
                        .setTask(task(groupId, text, heldOut)).setGroupId(groupId).setCreatedAt(AT)
                        .setModel("qwen2-tiny-random").setTrajectories(trajectories).build())
                .setScores(scores).setScorerId("embedding").setScorerVersion("1")
                .setScoredAt(AT).build();
    }

    private static Turn turn(Segment segment, String text) {
        return Turn.newBuilder().setSegment(segment).setText(text)
                .setPromptTokenIds(List.of(1, 2)).setCompletionTokenIds(List.of(3))
                .setCompletionLogprobs(List.of(-0.5f)).setTemperature(1.0f).setTopP(1.0f)
                .setFinishReason("stop").build();
    }

    private static PromptTask task(String id, String text, boolean heldOut) {
        return PromptTask.newBuilder().setTaskId("task-" + id).setCreatedAt(AT)
                .setMode(TaskMode.NEGOTIATION)
                .setScenario(Scenario.newBuilder().setTitle("The river " + id)
                        .setDescription("Two farms share one river: " + text)
                        .setDomain("water rights").setValueConflict("livelihood vs. ecology")
                        .build())
                .setPersonaA(persona("Ana", "farmer")).setPersonaB(persona("Ben", "ecologist"))
                .setSeed(7L)
                .setProvenance(Provenance.newBuilder().setSource(ProvenanceSource.COMBINATORIAL)
                        .setGeneratorVersion("test").build())
                .setHeldOut(heldOut).build();
    }

    private static Persona persona(String name, String role) {
        return Persona.newBuilder().setName(name).setRole(role).setValues(List.of("fairness"))
                .setGoals(List.of("agree")).setConstraints(List.of()).build();
    }
}
