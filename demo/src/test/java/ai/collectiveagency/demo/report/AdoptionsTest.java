package ai.collectiveagency.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.fleet.ReplicaReading;
import ai.collectiveagency.demo.fleet.ScaledStage;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdoptionsTest {

    private static ReplicaReading rollout(int replica, Long version, long atMillis) {
        return new ReplicaReading(ScaledStage.ROLLOUT, "rollout-service-" + replica, version,
                0.0, 0, atMillis);
    }

    @Test
    void aCheckpointIsAdoptedWhenTheSlowestRolloutReplicaServesIt() {
        Adoptions adoptions = new Adoptions();
        adoptions.announced(3, 1_000);
        assertThat(adoptions.served(List.of(rollout(0, 3L, 1_400), rollout(1, 2L, 1_400))))
                .isEmpty();
        // A reward replica serves no version and does not hold the adoption back.
        assertThat(adoptions.served(List.of(rollout(0, 3L, 2_400), rollout(1, 3L, 2_500),
                new ReplicaReading(ScaledStage.REWARD, "reward-service-0", null, 1.0, 0,
                        2_500))))
                .containsExactly(new Adoption(3, 1_000, 2_500));
        assertThat(adoptions.all()).extracting(Adoption::lagMs).containsExactly(1_500L);
    }

    @Test
    void aSkippedVersionCountsAsServedAndASilentReplicaServesNothing() {
        Adoptions adoptions = new Adoptions();
        adoptions.announced(4, 1_000);
        adoptions.announced(5, 1_200);
        assertThat(adoptions.served(List.of(rollout(0, 5L, 1_500), rollout(1, null, 1_500))))
                .isEmpty();
        assertThat(adoptions.served(List.of(rollout(0, 5L, 3_000), rollout(1, 5L, 3_000))))
                .containsExactly(new Adoption(4, 1_000, 3_000), new Adoption(5, 1_200, 3_000));
    }
}
