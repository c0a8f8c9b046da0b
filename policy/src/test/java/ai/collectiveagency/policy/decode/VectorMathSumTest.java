package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

/** {@link VectorMath#sum}: every element of the slice once, none outside it, at any length. */
class VectorMathSumTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 16, 63, 64, 65, 200, 4099})
    void sumsExactlyTheSliceWhateverItsLength(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] a = new float[n + 10];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        double expected = 0;
        for (int i = 3; i < 3 + n; i++) {
            expected += a[i];
        }

        assertThat((double) VectorMath.sum(a, 3, n)).isCloseTo(expected, within(1e-4));
    }
}
