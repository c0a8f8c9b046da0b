package ai.collectiveagency.schemas;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One well-formed record of each event type, for tests. */
public final class Samples {

  /** A fixed instant at millisecond precision, as timestamp-millis stores it. */
  public static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

  private Samples() {}

  public static PromptTask promptTask() {
    return PromptTask.newBuilder()
        .setTaskId("task-1")
        .setCreatedAt(AT)
        .setMode(TaskMode.NEGOTIATION)
        .setScenario(Scenario.newBuilder()
            .setTitle("The river")
            .setDescription("Two farms draw water from one river in a dry summer.")
            .setDomain("water rights")
            .setValueConflict("livelihood vs. ecology")
            .build())
        .setPersonaA(persona("Ana", "farmer", "livelihood"))
        .setPersonaB(persona("Ben", "ecologist", "ecology"))
        .setSeed(42L)
        .setProvenance(Provenance.newBuilder()
            .setSource(ProvenanceSource.LLM)
            .setGeneratorVersion("0.1.0")
            .setModel("qwen2-tiny-random")
            .build())
        .setHeldOut(false)
        .setLanguage("de")
        .setTags(List.of("water", "dry-run"))
        .build();
  }

  private static Persona persona(String name, String role, String value) {
    return Persona.newBuilder()
        .setName(name)
        .setRole(role)
        .setValues(List.of(value, "fairness"))
        .setGoals(List.of("keep " + value))
        .setConstraints(List.of())
        .build();
  }

  public static Turn turn(Segment segment, List<Integer> ids, List<Float> logprobs) {
    return Turn.newBuilder()
        .setSegment(segment)
        .setText("We share the water by day.")
        .setPromptTokenIds(List.of(1, 2, 3))
        .setCompletionTokenIds(ids)
        .setCompletionLogprobs(logprobs)
        .setTemperature(1.0f)
        .setTopP(0.95f)
        .setFinishReason("stop")
        .build();
  }

  public static Trajectory trajectory(String id, Turn... turns) {
    return Trajectory.newBuilder()
        .setTrajectoryId(id)
        .setPolicyVersion(3L)
        .setTurns(List.of(turns))
        .setAgreementReached(true)
        .setRounds(2)
        .setFailed(false)
        .setResolution("Share by day, rest by night.")
        .build();
  }

  public static RolloutGroup rolloutGroup(Trajectory... trajectories) {
    return RolloutGroup.newBuilder()
        .setTask(promptTask())
        .setGroupId("group-1")
        .setCreatedAt(AT)
        .setModel("qwen2-tiny-random")
        .setTrajectories(List.of(trajectories))
        .build();
  }

  public static RolloutGroup rolloutGroup() {
    return rolloutGroup(
        trajectory("t-0", opening(), turn(Segment.RESOLUTION, List.of(9), List.of(-0.1f))),
        trajectory("t-1", opening()));
  }

  private static Turn opening() {
    return turn(Segment.PERSONA_A, List.of(7, 8), List.of(-0.5f, -1.25f));
  }

  public static TrajectoryScore score(String trajectoryId, Double reward) {
    return TrajectoryScore.newBuilder()
        .setTrajectoryId(trajectoryId)
        .setReward(reward)
        .setBreakdown(reward == null ? Map.of() : Map.of("knowledge", reward, "vitality", 0.5))
        .setUnscorable(reward == null)
        .setUnscorableReason(reward == null ? "judge refused" : null)
        .build();
  }

  public static ScoredGroup scoredGroup(TrajectoryScore... scores) {
    return ScoredGroup.newBuilder()
        .setGroup(rolloutGroup())
        .setScores(List.of(scores))
        .setScorerId("llm-judge")
        .setScorerVersion("1")
        .setScoredAt(AT)
        .build();
  }

  public static ScoredGroup scoredGroup() {
    return scoredGroup(score("t-0", 0.75), score("t-1", null));
  }

  public static PolicyCheckpoint policyCheckpoint(String sha256) {
    return PolicyCheckpoint.newBuilder()
        .setVersion(4L)
        .setStep(128L)
        .setUri("file:///checkpoints/v4")
        .setSha256(sha256)
        .setFormat(CheckpointFormat.LORA)
        .setBaseModel("qwen2-tiny-random")
        .setCreatedAt(AT)
        .setMetrics(Map.of("loss", 0.25))
        .setConsumedOffsets(Map.of(TopicCatalogue.defaults().name(LogicalTopic.SCORED) + "-0", 17L))
        .build();
  }

  public static PolicyCheckpoint policyCheckpoint() {
    return policyCheckpoint("ab".repeat(32));
  }

  public static TrainingMetrics trainingMetrics() {
    return TrainingMetrics.newBuilder()
        .setStep(128L)
        .setPolicyVersion(4L)
        .setRecordedAt(AT)
        .setMetrics(Map.of("loss", 0.25, "kl", 0.01))
        .build();
  }

  public static EvalResult evalResult() {
    return EvalResult.newBuilder()
        .setPolicyVersion(4L)
        .setEvaluation("held-out-ca")
        .setRecordedAt(AT)
        .setSampleCount(64)
        .setMetrics(Map.of("mean_reward", 0.6))
        .build();
  }
}
