package ai.collectiveagency.policy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The FLOP bound is the faster of the engine's two products, and bounds combine by the best. */
class MachineBoundsTest {

    @Test
    void theFlopBoundIsTheFasterOfTheEnginesTwoProducts() {
        assertThat(new MachineBounds(200, 430, 60, 50).matmulGflops()).isEqualTo(430);
        assertThat(new MachineBounds(380, 300, 60, 50).matmulGflops()).isEqualTo(380);
    }

    @Test
    void twoProbesKeepTheBestOfEachFigure() {
        MachineBounds first = new MachineBounds(200, 410, 60, 45);
        MachineBounds second = new MachineBounds(215, 390, 55, 70);

        MachineBounds best = first.max(second);

        assertThat(best).isEqualTo(new MachineBounds(215, 410, 60, 70));
        assertThat(best.withReadAtLeast(80).readGbPerSecond()).isEqualTo(80);
        assertThat(best.withReadAtLeast(20).readGbPerSecond()).isEqualTo(70);
    }
}
