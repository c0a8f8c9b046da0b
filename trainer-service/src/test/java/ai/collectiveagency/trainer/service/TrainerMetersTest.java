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
    void eachStepMetricIsAGaugeUnderTheTrainerPrefixAndTheCheckpointTimerSurvivesThem() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrainerMeters meters = new TrainerMeters(registry);

        // The loop's step metrics include checkpoint_seconds: its gauge must not take the
        // timer's Prometheus name, or the scrape loses the timer (the dashboard counts
        // checkpoints with it).
        meters.stepped(1, 0, Map.of("reward_mean", 0.5, "kl", 0.02, "checkpoint_seconds", 1.5));
        meters.checkpointed(1, 2.0);

        String scrape = registry.scrape();
        assertThat(scrape)
                .containsPattern("(?m)^trainer_reward_mean(\\{[^}]*\\})? 0\\.5$")
                .containsPattern("(?m)^trainer_kl(\\{[^}]*\\})? 0\\.02$")
                .containsPattern("(?m)^trainer_checkpoint_seconds(\\{[^}]*\\})? 1\\.5$")
                .containsPattern(
                        "(?m)^trainer_checkpoint_duration_seconds_count(\\{[^}]*\\})? 1\\.0$")
                .containsPattern("(?m)^trainer_policy_version(\\{[^}]*\\})? 1\\.0$")
                .containsPattern("(?m)^trainer_steps_total(\\{[^}]*\\})? 1\\.0$");
    }

    @Test
    void aStepWithoutAFigureLeavesItsGaugeNaNNotThePreviousStepsValue() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrainerMeters meters = new TrainerMeters(registry);

        meters.stepped(1, 0, Map.of("reward_mean", 0.5, "no_agreement_rate", 0.25));
        meters.stepped(2, 0, Map.of("reward_mean", 0.75));

        assertThat(registry.scrape())
                .containsPattern("(?m)^trainer_reward_mean(\\{[^}]*\\})? 0\\.75$")
                .containsPattern("(?m)^trainer_no_agreement_rate(\\{[^}]*\\})? NaN$");
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
