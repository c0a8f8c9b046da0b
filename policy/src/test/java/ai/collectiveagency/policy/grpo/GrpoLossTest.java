package ai.collectiveagency.policy.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpoLossTest {

    private final NDManager manager = OfflineEngine.manager();
    private final NDArray logp = manager.create(new double[] {-1, -2, -3, -0.5, -1.5, -9},
            new Shape(2, 3));
    private final NDArray mask = manager.create(new double[] {1, 1, 1, 1, 1, 0}, new Shape(2, 3));
    private final NDArray advantages = manager.create(new double[] {1, -2});

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void withoutOldLogProbsTheRatioIsOneAndTheLossIsMinusTheMeanAdvantage() {
        GrpoConfig bnpo = new GrpoConfig(0, 0.2, 0.2, LossAggregation.BNPO, 3, RewardScaling.GROUP);

        GrpoLossResult result = new GrpoLoss(bnpo)
                .compute(GrpoInputs.of(logp, null, null, mask, advantages));

        // Tokens: three with A = 1, two with A = -2.
        assertThat(result.loss().getDouble()).isCloseTo(-(3 * 1 + 2 * -2) / 5.0, within(1e-12));
        assertThat(result.statistics().meanRatio()).isCloseTo(1, within(1e-12));
        assertThat(result.statistics().clipFraction()).isZero();
        assertThat(result.statistics().meanKl()).isNaN();
        assertThat(result.statistics().tokenCount()).isEqualTo(5);
    }

    @Test
    void dapoDividesByTheAccumulatedBatchTokenCount() {
        GrpoConfig dapo = GrpoConfig.negotiationDefaults(3);
        GrpoInputs inputs = GrpoInputs.of(logp, null, null, mask, advantages);

        double own = new GrpoLoss(dapo).compute(inputs).loss().getDouble();
        double accumulated = new GrpoLoss(dapo)
                .compute(inputs.withTokenNormaliser(20)).loss().getDouble();

        assertThat(own).isCloseTo(-(3 - 4) / 5.0, within(1e-12));
        assertThat(accumulated).isCloseTo(-(3 - 4) / 20.0, within(1e-12));
    }

    @Test
    void klTermNeedsReferenceLogProbs() {
        GrpoConfig withKl = new GrpoConfig(0.04, 0.2, 0.2, LossAggregation.GRPO, 3,
                RewardScaling.GROUP);

        assertThatThrownBy(() -> new GrpoLoss(withKl)
                .compute(GrpoInputs.of(logp, null, null, mask, advantages)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refLogp");
    }

    @Test
    void mismatchedShapesAreRefused() {
        NDArray threeAdvantages = manager.create(new double[3]);

        assertThatThrownBy(() -> GrpoInputs.of(logp, null, null, mask, threeAdvantages))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advantages must have shape (2)");
    }

    @Test
    void intermediatesAreClosedAndOnlyTheLossIsLeft() {
        GrpoLoss loss = new GrpoLoss(GrpoConfig.negotiationDefaults(3));
        int before = manager.getManagedArrays().size();

        GrpoLossResult result = loss.compute(GrpoInputs.of(logp, logp.add(0.1), logp.sub(0.2),
                mask, advantages));

        // The two shifted inputs made here, plus the loss.
        assertThat(manager.getManagedArrays()).hasSize(before + 3).contains(result.loss());
    }
}
