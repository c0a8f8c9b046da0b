package ai.collectiveagency.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The held-out meters under the names Prometheus scrapes from {@code /q/metrics}. */
class TrainerMetersTest {

    @Test
    void heldOutGroupsAreCountedAndTheLastRewardMeanIsKeptThroughAGroupWithout() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrainerMeters meters = new TrainerMeters(registry);

        meters.heldOut(0, Map.of("reward_mean", 0.25, "unscorable", 0.0));
        meters.heldOut(1, Map.of("reward_mean", 0.75, "unscorable", 1.0));
        meters.heldOut(1, Map.of("unscorable", 4.0));

        String scrape = registry.scrape();
        assertThat(scrape)
                .containsPattern("(?m)^trainer_heldout_groups_total(\\{[^}]*\\})? 3\\.0$")
                .containsPattern("(?m)^trainer_heldout_reward_mean(\\{[^}]*\\})? 0\\.75$");
    }

    @Test
    void beforeAnyHeldOutGroupTheRewardMeanIsUnknown() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new TrainerMeters(registry);

        assertThat(registry.scrape()).containsPattern(
                "(?m)^trainer_heldout_reward_mean(\\{[^}]*\\})? NaN$")
                .containsPattern("(?m)^trainer_heldout_groups_total(\\{[^}]*\\})? 0\\.0$");
    }
}
