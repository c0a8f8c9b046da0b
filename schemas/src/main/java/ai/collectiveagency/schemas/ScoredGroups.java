package ai.collectiveagency.schemas;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Invariants of a {@link ScoredGroup} that Avro cannot express.
 *
 * <ul>
 *   <li>the embedded group satisfies {@link RolloutGroups#validate(RolloutGroup)};</li>
 *   <li>exactly one score per trajectory of the group, none for unknown trajectories;</li>
 *   <li>a score's reward is null exactly when it is unscorable, and then it has a reason;</li>
 *   <li>rewards are finite.</li>
 * </ul>
 */
public final class ScoredGroups {

  private ScoredGroups() {}

  /**
   * Checks the invariants.
   *
   * @param scored the scored group to check
   * @throws IllegalArgumentException naming the path of the first violation, e.g.
   *     {@code scores[1]: unknown trajectory t-9}
   */
  public static void validate(ScoredGroup scored) {
    try {
      RolloutGroups.validate(scored.getGroup());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("group." + e.getMessage(), e);
    }
    Set<String> expected = scored.getGroup().getTrajectories().stream()
        .map(Trajectory::getTrajectoryId)
        .collect(Collectors.toSet());
    Set<String> seen = new HashSet<>();
    List<TrajectoryScore> scores = scored.getScores();
    for (int i = 0; i < scores.size(); i++) {
      TrajectoryScore score = scores.get(i);
      String path = "scores[" + i + "]";
      String id = score.getTrajectoryId();
      if (!expected.contains(id)) {
        throw new IllegalArgumentException(path + ": unknown trajectory " + id);
      }
      if (!seen.add(id)) {
        throw new IllegalArgumentException(path + ": second score for trajectory " + id);
      }
      validateScore(path, score);
    }
    expected.removeAll(seen);
    if (!expected.isEmpty()) {
      throw new IllegalArgumentException("scores: no score for trajectories " + expected);
    }
  }

  private static void validateScore(String path, TrajectoryScore score) {
    Double reward = score.getReward();
    if (score.getUnscorable()) {
      if (reward != null) {
        throw new IllegalArgumentException(path + ": unscorable but has reward " + reward);
      }
      if (score.getUnscorableReason() == null || score.getUnscorableReason().isBlank()) {
        throw new IllegalArgumentException(path + ": unscorable without a reason");
      }
    } else if (reward == null) {
      throw new IllegalArgumentException(path + ": no reward but not marked unscorable");
    } else if (!Double.isFinite(reward)) {
      throw new IllegalArgumentException(path + ": reward is " + reward);
    }
  }
}
