package ai.collectiveagency.trainer.batching;

import ai.collectiveagency.policy.grpo.GroupAdvantages;
import ai.collectiveagency.policy.grpo.RewardScaling;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.TrajectoryScore;
import ai.collectiveagency.schemas.Turn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link ScoredGroup} into {@link TrainingRow}s: one advantage per trajectory (the group
 * baseline of GRPO, or a running baseline per role), then one row per generated turn that the
 * configured segments and personas select, with the token ids and sampling log-probs exactly as
 * the rollout recorded them. A persona's thoughts ({@code THOUGHTS_A/B}, asynchronous reasoning)
 * get rows only with {@code trainThoughts}, for the personas selected: by default the policy
 * learns what it said given what it thought, not what it thought. Unscorable trajectories get advantage 0 and stay out of the group's
 * baseline; a trajectory without a score is an error in the group.
 */
public final class ExampleBuilder {

    private final Segments segments;
    private final Personas personas;
    private final Baseline baseline;
    private final GroupAdvantages groupAdvantages = new GroupAdvantages(RewardScaling.GROUP);
    private final RoleBaselines roles;
    private final boolean trainThoughts;

    public ExampleBuilder(Segments segments, Personas personas, Baseline baseline,
            RoleBaselines roles, boolean trainThoughts) {
        this.segments = segments;
        this.personas = personas;
        this.baseline = baseline;
        this.roles = roles;
        this.trainThoughts = trainThoughts;
    }

    /** The rows of one group, in trajectory and turn order. */
    public List<TrainingRow> rows(ScoredGroup scored) {
        RolloutGroup group = scored.getGroup();
        List<Trajectory> trajectories = group.getTrajectories();
        double[] rewards = rewards(scored, trajectories);
        double[] advantages = baseline == Baseline.GROUP
                ? groupAdvantages.estimate(rewards, rewards.length) : null;
        double mean = mean(rewards);
        List<TrainingRow> rows = new ArrayList<>();
        String taskId = group.getTask().getTaskId();
        for (int i = 0; i < trajectories.size(); i++) {
            for (Turn turn : trajectories.get(i).getTurns()) {
                if (!trained(turn.getSegment()) || turn.getCompletionTokenIds().isEmpty()) {
                    continue;
                }
                double advantage = Double.isNaN(rewards[i]) ? 0
                        : advantages != null ? advantages[i]
                        : rewards[i] - roles.baseline(RoleBaselines.roleOf(turn.getSegment()));
                rows.add(new TrainingRow(taskId, turn.getSegment(), ints(turn.getPromptTokenIds()),
                        ints(turn.getCompletionTokenIds()), floats(turn.getCompletionLogprobs()),
                        advantage));
            }
        }
        if (baseline == Baseline.ROLE) {
            roles.update(mean);
        }
        return rows;
    }

    private boolean trained(Segment segment) {
        boolean chosen = Segments.isThoughts(segment) ? trainThoughts
                : segments.includes(segment);
        return chosen && personas.includes(segment);
    }

    private static double[] rewards(ScoredGroup scored, List<Trajectory> trajectories) {
        Map<String, TrajectoryScore> byId = new HashMap<>();
        scored.getScores().forEach(s -> byId.put(s.getTrajectoryId(), s));
        double[] rewards = new double[trajectories.size()];
        for (int i = 0; i < trajectories.size(); i++) {
            TrajectoryScore score = byId.get(trajectories.get(i).getTrajectoryId());
            if (score == null) {
                throw new IllegalArgumentException("group " + scored.getGroup().getGroupId()
                        + " has no score for trajectory "
                        + trajectories.get(i).getTrajectoryId());
            }
            rewards[i] = GroupSignal.reward(score);
        }
        return rewards;
    }

    private static double mean(double[] rewards) {
        double sum = 0;
        int n = 0;
        for (double r : rewards) {
            if (!Double.isNaN(r)) {
                sum += r;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
