package ai.collectiveagency.schemas;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Invariants of a {@link RolloutGroup} that Avro cannot express.
 *
 * <ul>
 *   <li>the group has at least one trajectory, and trajectory ids are unique within it;</li>
 *   <li>every turn has one completion log-prob per completion token id.</li>
 * </ul>
 */
public final class RolloutGroups {

  private RolloutGroups() {}

  /**
   * Checks the invariants.
   *
   * @param group the group to check
   * @throws IllegalArgumentException naming the path of the first violation, e.g.
   *     {@code trajectories[2].turns[0]: 12 completion ids but 11 log-probs}
   */
  public static void validate(RolloutGroup group) {
    List<Trajectory> trajectories = group.getTrajectories();
    if (trajectories.isEmpty()) {
      throw new IllegalArgumentException("trajectories: a group needs at least one trajectory");
    }
    Set<String> ids = new HashSet<>();
    for (int t = 0; t < trajectories.size(); t++) {
      Trajectory trajectory = trajectories.get(t);
      String path = "trajectories[" + t + "]";
      if (!ids.add(trajectory.getTrajectoryId())) {
        throw new IllegalArgumentException(
            path + ": duplicate trajectory id " + trajectory.getTrajectoryId());
      }
      validateTurns(path, trajectory.getTurns());
    }
  }

  private static void validateTurns(String trajectoryPath, List<Turn> turns) {
    for (int i = 0; i < turns.size(); i++) {
      Turn turn = turns.get(i);
      int ids = turn.getCompletionTokenIds().size();
      int logprobs = turn.getCompletionLogprobs().size();
      if (ids != logprobs) {
        throw new IllegalArgumentException(String.format(
            "%s.turns[%d]: %d completion ids but %d log-probs", trajectoryPath, i, ids, logprobs));
      }
    }
  }
}
