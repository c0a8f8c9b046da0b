package ai.collectiveagency.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.trainer.TestGroups;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeldOutEvaluationTest {

    private static final Instant AT = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void rewardsOfTheScoredTrajectoriesAgreementOfAllAndTheTrainerStep() {
        ScoredGroup group = TestGroups.heldOut("h-1", 3, 0.2, 0.6, Double.NaN, 1.0);
        group.getGroup().getTrajectories().get(1).setAgreementReached(false);

        EvalResult result = HeldOutEvaluation.of(group, 17, AT);

        assertThat(result.getEvaluation()).isEqualTo("held-out");
        assertThat(result.getPolicyVersion()).isEqualTo(3);
        assertThat(result.getRecordedAt()).isEqualTo(AT);
        assertThat(result.getSampleCount()).as("trajectories with a reward").isEqualTo(3);
        assertThat(result.getMetrics().get("reward_mean")).isCloseTo(0.6, within(1e-12));
        assertThat(result.getMetrics().get("reward_std")).isCloseTo(0.4, within(1e-12));
        assertThat(result.getMetrics()).containsEntry("agreement_rate", 0.75)
                .containsEntry("unscorable", 1.0).containsEntry("trainer_step", 17.0);
    }

    @Test
    void aGroupSampledByTwoVersionsIsTheNewerVersionsResult() {
        ScoredGroup group = TestGroups.heldOut("h-2", 4, 0.5, 0.5);
        group.getGroup().getTrajectories().get(1).setPolicyVersion(5L);

        assertThat(HeldOutEvaluation.of(group, 0, AT).getPolicyVersion()).isEqualTo(5);
    }

    @Test
    void aGroupWithoutAnyRewardHasNoSamplesAndNoRewardMean() {
        ScoredGroup group = TestGroups.heldOut("h-3", 0, Double.NaN, Double.NaN);

        EvalResult result = HeldOutEvaluation.of(group, 2, AT);

        assertThat(result.getSampleCount()).isZero();
        assertThat(result.getMetrics()).doesNotContainKeys("reward_mean", "reward_std")
                .containsEntry("unscorable", 2.0).containsEntry("trainer_step", 2.0);
    }

    @Test
    void aSingleAnswerTaskHasNoAgreementRate() {
        ScoredGroup group = TestGroups.heldOut("h-4", 0, 0.5, 0.7);
        group.getGroup().getTask().setMode(TaskMode.SINGLE);
        group.getGroup().getTrajectories().forEach(t -> t.setAgreementReached(false));

        assertThat(HeldOutEvaluation.of(group, 0, AT).getMetrics())
                .doesNotContainKey("agreement_rate").containsKey("reward_mean");
    }
}
