package ai.collectiveagency.demo.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicaMetricsTest {

    /** As Quarkus's Micrometer registry writes it. */
    private static final String TEXT = """
            # HELP rollout_groups_total Groups sent to the rollouts topic
            # TYPE rollout_groups_total counter
            rollout_groups_total 17.0
            # TYPE rollout_groups_in_flight gauge
            rollout_groups_in_flight 3.0
            # TYPE rollout_policy_version gauge
            rollout_policy_version 12.0
            reward_trajectories_total{outcome="scored"} 30.0
            reward_trajectories_total{outcome="unscorable"} 2.0
            """;

    @Test
    void readsASampleAndNotThoseOfLongerNames() {
        assertThat(ReplicaMetrics.value(TEXT, "rollout_groups_total")).hasValue(17.0);
        assertThat(ReplicaMetrics.value(TEXT, "rollout_policy_version")).hasValue(12.0);
        assertThat(ReplicaMetrics.value(TEXT, "rollout_groups")).isEmpty();
    }

    @Test
    void sumsTheLabelledSamplesOfOneName() {
        assertThat(ReplicaMetrics.value(TEXT, "reward_trajectories_total")).hasValue(32.0);
    }
}
