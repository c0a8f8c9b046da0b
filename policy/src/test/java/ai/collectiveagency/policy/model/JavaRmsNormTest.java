package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.decode.VectorMath;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

/**
 * RMSNorm in Java against its definition in double, for rows of 37 floats (a remainder after
 * whole vectors of 4, 8 or 16 lanes) and of 512; a row of zeros is eps's alone. Arrays Java
 * cannot view are left to the engine.
 */
class JavaRmsNormTest {

    private static final float EPS = 1e-5f;

    @ParameterizedTest
    @ValueSource(ints = {37, 512})
    void rowsAreTheDefinition(int width) {
        SplittableRandom random = new SplittableRandom(width);
        int rows = 2 * 67;
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble(-3, 3) * (1 + i / width % 5));
        }
        for (int i = 0; i < width; i++) {
            x[5 * width + i] = 0; // row 5: only eps under the root
        }
        float[] w = new float[width];
        for (int i = 0; i < width; i++) {
            w[i] = (float) random.nextDouble(0.5, 1.5);
        }
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            float[] normed = JavaRmsNorm.normalize(m.create(x, new Shape(2, 67, width)),
                    m.create(w), EPS).orElseThrow().toFloatArray();
            for (int row = 0; row < rows; row++) {
                double squares = 0;
                for (int i = 0; i < width; i++) {
                    squares += (double) x[row * width + i] * x[row * width + i];
                }
                double r = 1 / Math.sqrt(squares / width + EPS);
                for (int i = 0; i < width; i++) {
                    double expected = x[row * width + i] * r * w[i];
                    assertThat((double) normed[row * width + i]).as("row %d, element %d", row, i)
                            .isCloseTo(expected, within(2e-6 * Math.abs(expected) + 1e-30));
                }
            }
        }
    }

    /** The Java decoder normalises the rows of the prompts it prefills itself: the same bits. */
    @ParameterizedTest
    @ValueSource(ints = {37, 512})
    void rowsAreTheDecodersBits(int width) {
        SplittableRandom random = new SplittableRandom(width + 1);
        int rows = 9;
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-3, 3);
        }
        float[] w = new float[width];
        for (int i = 0; i < width; i++) {
            w[i] = (float) random.nextDouble(0.5, 1.5);
        }
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            float[] normed = JavaRmsNorm.normalize(m.create(x, new Shape(rows, width)),
                    m.create(w), EPS).orElseThrow().toFloatArray();
            float[] decoder = new float[x.length];
            for (int row = 0; row < rows; row++) {
                VectorMath.rmsNorm(x, row * width, w, EPS, decoder, row * width, width);
            }
            for (int i = 0; i < x.length; i++) {
                assertThat(Float.floatToIntBits(normed[i])).as("element %d: %s against %s", i,
                        normed[i], decoder[i]).isEqualTo(Float.floatToIntBits(decoder[i]));
            }
        }
    }

    @Test
    void aWeightOfAnotherWidthIsRefused() {
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            assertThatThrownBy(() -> JavaRmsNorm.normalize(m.ones(new Shape(2, 8)),
                    m.ones(new Shape(7)), EPS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rows of 8 floats against a weight of 7");
        }
    }

    @Test
    void arraysJavaCannotViewAreLeftToTheEngine() {
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            NDArray weight = m.ones(new Shape(8));
            NDArray doubles = m.ones(new Shape(3, 8), DataType.FLOAT64);
            NDArray transposed = m.ones(new Shape(8, 3)).transpose();
            assertThat(JavaRmsNorm.normalize(doubles, weight.toType(DataType.FLOAT64, false),
                    EPS)).isEmpty();
            assertThat(JavaRmsNorm.normalize(transposed, weight, EPS)).isEmpty();
        }
    }
}
