package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;

/**
 * SwiGLU's activation with its derivatives from Java, against the definitions in double:
 * act = silu(g)·u, d act / d u = silu(g), d act / d g = u·σ(g)·(1 + g·(1 − σ(g))). A (3, 37)
 * pair leaves a remainder after whole vectors of 4, 8 or 16 lanes; gates of ±100 reach both
 * clamps of the exponential.
 */
class JavaSwiGluTest {

    private static final Shape SHAPE = new Shape(3, 37);

    @Test
    void activationAndBothGradientsAreTheDefinitions() {
        SplittableRandom random = new SplittableRandom(9);
        float[] g = values(random, 12);
        g[5] = 100f;
        g[40] = -100f;
        float[] u = values(random, 3);
        float[] r = values(random, 1); // the loss is Σ act · r
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            NDArray gate = m.create(g, SHAPE);
            NDArray up = m.create(u, SHAPE);
            gate.setRequiresGradient(true);
            up.setRequiresGradient(true);
            float[] activation;
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                NDArray act = JavaSwiGlu.activate(gate, up).orElseThrow();
                activation = act.toFloatArray();
                collector.backward(act.mul(m.create(r, SHAPE)).sum());
            }
            float[] gateGradient = gate.getGradient().toFloatArray();
            float[] upGradient = up.getGradient().toFloatArray();
            for (int i = 0; i < g.length; i++) {
                double sigma = 1 / (1 + Math.exp(-(double) g[i]));
                double silu = g[i] * sigma;
                assertThat((double) activation[i]).as("act[%d]", i)
                        .isCloseTo(silu * u[i], within(1e-6 * Math.abs(silu * u[i]) + 1e-30));
                assertThat((double) upGradient[i]).as("d/d u[%d]", i)
                        .isCloseTo(r[i] * silu, within(1e-6 * Math.abs(r[i] * silu) + 1e-30));
                double slope = r[i] * u[i] * sigma * (1 + g[i] * (1 - sigma));
                // near g = -1.28, where 1 + g·(1 - σ) is 0, the error is relative to its terms
                double scale = Math.abs(r[i] * u[i] * sigma) * (1 + Math.abs(g[i]));
                assertThat((double) gateGradient[i]).as("d/d g[%d]", i)
                        .isCloseTo(slope, within(1e-6 * scale + 1e-30));
            }
        }
    }

    @Test
    void withoutAutogradTheActivationIsWrittenOverTheGate() {
        SplittableRandom random = new SplittableRandom(13);
        float[] g = values(random, 12);
        g[7] = 100f;
        g[50] = -100f;
        float[] u = values(random, 3);
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            NDArray gate = m.create(g, SHAPE);
            NDArray up = m.create(u, SHAPE);
            NDArray act = JavaSwiGlu.activateInPlace(gate, up).orElseThrow();
            assertThat(act).as("the gate itself").isSameAs(gate);
            float[] activation = gate.toFloatArray();
            assertThat(up.toFloatArray()).as("up untouched").isEqualTo(u);
            for (int i = 0; i < g.length; i++) { // a (3, 37) pair: the tail too
                double silu = g[i] / (1 + Math.exp(-(double) g[i]));
                assertThat((double) activation[i]).as("act[%d]", i)
                        .isCloseTo(silu * u[i], within(1e-6 * Math.abs(silu * u[i]) + 1e-30));
            }
        }
    }

    @Test
    void theLastPartialVectorGetsTheSameBitsAsAWholeOne() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        int size = 2 * lanes + 3;
        SplittableRandom random = new SplittableRandom(2);
        float[] g = values(random, 8, size);
        float[] u = values(random, 2, size);
        float[][] whole = derivatives(g, u, size); // elements 2·lanes.. are the tail
        float[] gShifted = new float[size];
        float[] uShifted = new float[size];
        System.arraycopy(g, 2 * lanes, gShifted, 0, 3); // now in the first whole vector
        System.arraycopy(u, 2 * lanes, uShifted, 0, 3);
        float[][] shifted = derivatives(gShifted, uShifted, size);
        for (int i = 0; i < 3; i++) {
            assertThat(Float.floatToIntBits(whole[0][2 * lanes + i])).as("silu, tail %d", i)
                    .isEqualTo(Float.floatToIntBits(shifted[0][i]));
            assertThat(Float.floatToIntBits(whole[1][2 * lanes + i])).as("slope, tail %d", i)
                    .isEqualTo(Float.floatToIntBits(shifted[1][i]));
        }
    }

    @Test
    void theModelTakesTheJavaPathWhereAutogradRecordsOnFloat32() {
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            NDArray gate = m.randomNormal(SHAPE);
            NDArray up = m.randomNormal(SHAPE);
            NDArray doubles = m.randomNormal(SHAPE).toType(DataType.FLOAT64, false);
            for (NDArray leaf : new NDArray[] {gate, up, doubles}) {
                leaf.setRequiresGradient(true);
            }
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                assertThat(lastOperation(Llama.swiGlu(gate, up))).as("Java: u·Q + zero")
                        .isEqualTo("AddBackward0");
                assertThat(lastOperation(Llama.swiGlu(doubles, doubles)))
                        .as("the engine's chain").isEqualTo("MulBackward0");
            }
        }
    }

    private static String lastOperation(NDArray array) {
        return JniUtils.getGradientFunctionNames((PtNDArray) array);
    }

    @Test
    void arraysJavaCannotViewAreLeftToTheEngine() {
        try (NDManager m = OfflineEngine.manager().newSubManager()) {
            NDArray doubles = m.ones(SHAPE, DataType.FLOAT64);
            assertThat(JavaSwiGlu.activate(doubles, doubles)).isEmpty();
            NDArray transposed = m.ones(new Shape(37, 3)).transpose();
            assertThat(JavaSwiGlu.activate(transposed, m.ones(SHAPE))).isEmpty();
        }
    }

    private static float[][] derivatives(float[] g, float[] u, int size) {
        ByteBuffer silu = buffer(new float[size]);
        ByteBuffer slope = buffer(new float[size]);
        JavaSwiGlu.derivatives(buffer(g), buffer(u), silu, slope, size);
        float[][] out = new float[2][size];
        silu.asFloatBuffer().get(out[0]);
        slope.asFloatBuffer().get(out[1]);
        return out;
    }

    private static ByteBuffer buffer(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES)
                .order(ByteOrder.nativeOrder());
        buffer.asFloatBuffer().put(values);
        return buffer;
    }

    private static float[] values(SplittableRandom random, double spread) {
        return values(random, spread, Math.toIntExact(SHAPE.size()));
    }

    private static float[] values(SplittableRandom random, double spread, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (spread * (2 * random.nextDouble() - 1));
        }
        return values;
    }
}
