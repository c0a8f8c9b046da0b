package ai.collectiveagency.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** The reproducible exponential and sigmoid against {@code Math.exp} in double. */
class ReproducibleMathTest {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Test
    void expIsWithinTwoUlpsOfMathExpOverFloatsNormalRange() {
        float[] x = new float[SPECIES.length()];
        float[] out = new float[SPECIES.length()];
        for (int step = -873_000; step <= 880_000; step += x.length) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (step + i) * 1e-4f;
            }
            ReproducibleMath.exp(FloatVector.fromArray(SPECIES, x, 0)).intoArray(out, 0);
            for (int i = 0; i < x.length; i++) {
                double expected = Math.exp(x[i]);
                if (x[i] >= -87.33f && x[i] <= 88f) {
                    assertThat((double) out[i]).as("exp(%s)", x[i])
                            .isCloseTo(expected, within(2.0 * Math.ulp((float) expected)));
                }
            }
        }
        assertThat(first(ReproducibleMath.exp(FloatVector.broadcast(SPECIES, -1000f))))
                .as("clamped below").isBetween(1e-38f, 1.3e-38f);
        assertThat(first(ReproducibleMath.exp(FloatVector.broadcast(SPECIES, 1000f))))
                .as("clamped above").isBetween(1.6e38f, 1.7e38f);
    }

    @Test
    void sigmoidIsWithinFourUlpsAndFiniteAtBothEnds() {
        float[] x = new float[SPECIES.length()];
        float[] out = new float[SPECIES.length()];
        for (int step = -300_000; step <= 300_000; step += x.length) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (step + i) * 1e-4f;
            }
            ReproducibleMath.sigmoid(FloatVector.fromArray(SPECIES, x, 0)).intoArray(out, 0);
            for (int i = 0; i < x.length; i++) {
                double expected = 1 / (1 + Math.exp(-x[i]));
                assertThat((double) out[i]).as("sigmoid(%s)", x[i])
                        .isCloseTo(expected, within(4.0 * Math.ulp((float) expected)));
            }
        }
        assertThat(first(ReproducibleMath.sigmoid(FloatVector.broadcast(SPECIES, 100f))))
                .isEqualTo(1f);
        assertThat(first(ReproducibleMath.sigmoid(FloatVector.broadcast(SPECIES, -100f))))
                .isBetween(0f, 1e-38f);
    }

    private static float first(FloatVector v) {
        return v.lane(0);
    }
}
