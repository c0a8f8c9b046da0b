package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

/**
 * The rotation of a pass that autograd does not record, in Java over the array's memory, and of
 * Java arrays, against the engine's rotation of the same values: the same bits, for finite
 * values; the transposed rotation is its adjoint. Heads
 * of 24 (a pair's halves of 12 floats, less than one vector), 64 and 96 floats; positions up to
 * 4,000 and a scale, as the query tables have.
 */
class RotaryTest {

    @ParameterizedTest
    @ValueSource(ints = {24, 64, 96})
    void javaRotatesInPlaceToTheEnginesBits(int headDim) {
        LlamaConfig config = new LlamaConfig("llama", 3 * headDim, 48, 1, 3, 3, headDim, 50,
                4096, 1e-5, 10000, false, false, null);
        SplittableRandom random = new SplittableRandom(headDim);
        int[][] positions = new int[2][7];
        for (int[] row : positions) {
            for (int t = 0; t < row.length; t++) {
                row[t] = random.nextInt(4000);
            }
        }
        float[] values = new float[2 * 7 * 3 * headDim];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble(-4, 4));
        }
        Shape shape = new Shape(2, 7, 3, headDim);
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            Rotary rotary = new Rotary(config, m, DataType.FLOAT32);
            Rotary.Angles angles = rotary.angles(m, positions, 0.125f);
            NDArray engineInput = m.create(values, shape);
            float[] engine;
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                NDArray rotated = rotary.apply(engineInput, angles);
                assertThat(rotated).as("a recorded pass makes a new array")
                        .isNotSameAs(engineInput);
                engine = rotated.toFloatArray();
            }
            assertThat(engineInput.toFloatArray()).as("the engine's input is unchanged")
                    .isEqualTo(values);
            NDArray javaInput = m.create(values, shape);
            try (NoGradient noGradient = new NoGradient()) {
                assertThat(rotary.apply(javaInput, angles)).as("rotated in place")
                        .isSameAs(javaInput);
            }
            float[] java = javaInput.toFloatArray();
            for (int i = 0; i < java.length; i++) {
                assertThat(Float.floatToIntBits(java[i])).as("element %d: %s against %s", i,
                        java[i], engine[i]).isEqualTo(Float.floatToIntBits(engine[i]));
            }
            assertThat(java).as("rotated at all").isNotEqualTo(values);
        }
    }

    /**
     * A training pass rotates Java copies of q and k ({@link LayerCuts}), and takes their
     * gradients back by the transposed rotation: the rotation gives the engine's bits, and the
     * transpose is its adjoint, ⟨R·x, y⟩ = ⟨x, Rᵀ·y⟩.
     */
    @ParameterizedTest
    @ValueSource(ints = {24, 64, 96})
    void javaArraysRotateToTheEnginesBitsAndBackByTheAdjoint(int headDim) {
        LlamaConfig config = new LlamaConfig("llama", 3 * headDim, 48, 1, 3, 3, headDim, 50,
                4096, 1e-5, 10000, false, false, null);
        SplittableRandom random = new SplittableRandom(headDim + 1);
        int[][] positions = new int[2][7];
        for (int[] row : positions) {
            for (int t = 0; t < row.length; t++) {
                row[t] = random.nextInt(4000);
            }
        }
        float[] x = new float[2 * 7 * 3 * headDim];
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-4, 4);
            y[i] = (float) random.nextDouble(-4, 4);
        }
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            Rotary rotary = new Rotary(config, m, DataType.FLOAT32);
            Rotary.Angles angles = rotary.angles(m, positions, 0.125f);
            float[] engine;
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                engine = rotary.apply(m.create(x, new Shape(2, 7, 3, headDim)), angles)
                        .toFloatArray();
            }
            float[] rotated = x.clone();
            rotary.rotate(rotated, 3, angles, false);
            assertThat(rotated).isEqualTo(engine);
            float[] back = y.clone();
            rotary.rotate(back, 3, angles, true);
            double forward = 0;
            double adjoint = 0;
            for (int i = 0; i < x.length; i++) {
                forward += (double) rotated[i] * y[i];
                adjoint += (double) x[i] * back[i];
            }
            assertThat(adjoint).isCloseTo(forward, within(1e-5 * x.length));
            assertThat(back).as("rotated at all").isNotEqualTo(y);
        }
    }

    @Test
    void anglesForOtherTokensAreRefused() {
        LlamaConfig config = new LlamaConfig("llama", 128, 48, 1, 2, 2, 64, 50, 512, 1e-5,
                10000, false, false, null);
        try (NDManager m = OfflineEngine.manager().newSubManager();
                NoGradient noGradient = new NoGradient()) {
            Rotary rotary = new Rotary(config, m, DataType.FLOAT32);
            Rotary.Angles angles = rotary.angles(m, new int[][] {{0, 1, 2}}, 1f);
            assertThatThrownBy(() -> rotary.apply(m.zeros(new Shape(1, 4, 2, 64)), angles))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("angles for 3 tokens");
        }
    }

    @Test
    void arraysJavaCannotViewAreRotatedByTheEngine() {
        int headDim = 64;
        LlamaConfig config = new LlamaConfig("llama", 2 * headDim, 48, 1, 2, 2, headDim, 50,
                512, 1e-5, 10000, false, false, null);
        int[][] positions = {{0, 1, 2, 3}};
        float[] values = new float[4 * 2 * headDim];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        Shape shape = new Shape(1, 4, 2, headDim);
        try (NDManager m = OfflineEngine.manager().newSubManager();
                NoGradient noGradient = new NoGradient()) {
            Rotary single = new Rotary(config, m, DataType.FLOAT32);
            float[] expected = single.apply(m.create(values, shape), single.angles(m, positions,
                    1f)).toFloatArray();
            Rotary doubles = new Rotary(config, m, DataType.FLOAT64);
            NDArray input = m.create(values, shape).toType(DataType.FLOAT64, false);
            NDArray rotated = doubles.apply(input, doubles.angles(m, positions, 1f));
            assertThat(rotated).as("float64: a new array").isNotSameAs(input);
            double[] actual = rotated.toDoubleArray();
            for (int i = 0; i < actual.length; i++) {
                assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-6));
            }
        }
    }
}
