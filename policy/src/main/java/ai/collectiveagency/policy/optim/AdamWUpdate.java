package ai.collectiveagency.policy.optim;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.UnaryOperator;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One AdamW step over a parameter's elements, in a single Java pass where Java can view the
 * arrays' memory ({@link #apply}): each element's parameter, gradient and moments are read once
 * and written once. As a chain of engine operations ({@link #applyInEngine}, which arrays Java
 * cannot view still take: on a GPU, non-contiguous or over 2 GiB) the same step made four
 * full-size temporaries and about twelve passes over memory (200-270 ms a step for the ~40M
 * bench model on a 2-core VM, against 35-60 ms).
 *
 * <p>The arithmetic is the engine chain's, operation for operation, each rounded to float: every
 * coefficient is a double rounded to float, as the engine rounds a scalar operand, and no
 * multiply and add are fused. The moments come out the same to the bit. Only the square root
 * differs: Java's is correctly rounded, the engine's vectorised one is one ulp off for some
 * values (0.6% on the Intel VM, 17% on the Zen 5 VM), which can move a parameter by a few ulps
 * of its update (three seen). With correctly rounded roots the two agree to the bit.
 * <pre>
 *   g = g * gradientScale        (the clipping factor; 1 leaves g as it is)
 *   p = p * decay
 *   m = m * beta1 + g * (1 - beta1)
 *   v = v * beta2 + (g * g) * (1 - beta2)
 *   p = p - m / (sqrt(v) / sqrt(bias2) + eps) * stepSize
 * </pre>
 *
 * @param decay 1 - lr * weight decay
 * @param beta1 first moment's decay
 * @param oneMinusBeta1 1 - beta1, rounded once from double
 * @param beta2 second moment's decay
 * @param oneMinusBeta2 1 - beta2, rounded once from double
 * @param sqrtBias2 sqrt(1 - beta2^t)
 * @param eps added to the denominator
 * @param stepSize lr / (1 - beta1^t)
 * @param gradientScale what each gradient is multiplied by first: rounded to float for float32
 *     arrays, as the engine rounds a scalar operand
 */
record AdamWUpdate(float decay, float beta1, float oneMinusBeta1, float beta2,
        float oneMinusBeta2, float sqrtBias2, float eps, float stepSize, double gradientScale) {

    private static final VectorSpecies<Float> SPECIES = VectorPass.SPECIES;
    private static final ByteOrder ORDER = VectorPass.ORDER;

    /**
     * The coefficients of step {@code t} (from 1) at learning rate {@code lr}, for gradients
     * multiplied by {@code gradientScale}.
     */
    static AdamWUpdate of(AdamWConfig config, double lr, int t, double gradientScale) {
        double bias1 = 1 - Math.pow(config.beta1(), t);
        double bias2 = 1 - Math.pow(config.beta2(), t);
        return new AdamWUpdate((float) (1 - lr * config.weightDecay()), (float) config.beta1(),
                (float) (1 - config.beta1()), (float) config.beta2(), (float) (1 - config.beta2()),
                (float) Math.sqrt(bias2), (float) config.eps(), (float) (lr / bias1),
                gradientScale);
    }

    /**
     * Updates elements [start, end) of the parameter {@code p} and its moments {@code m},
     * {@code v} in place from the gradient {@code g} (float32 buffers in native order).
     */
    void apply(ByteBuffer p, ByteBuffer g, ByteBuffer m, ByteBuffer v, int start, int end) {
        float scale = (float) gradientScale;
        int i = start;
        int bound = start + SPECIES.loopBound(end - start);
        for (; i < bound; i += SPECIES.length()) {
            int at = i * Float.BYTES;
            FloatVector gradient = FloatVector.fromByteBuffer(SPECIES, g, at, ORDER)
                    .mul(scale);
            FloatVector first = FloatVector.fromByteBuffer(SPECIES, m, at, ORDER).mul(beta1)
                    .add(gradient.mul(oneMinusBeta1));
            FloatVector second = FloatVector.fromByteBuffer(SPECIES, v, at, ORDER).mul(beta2)
                    .add(gradient.mul(gradient).mul(oneMinusBeta2));
            FloatVector denominator = second.lanewise(VectorOperators.SQRT).div(sqrtBias2)
                    .add(eps);
            FloatVector parameter = FloatVector.fromByteBuffer(SPECIES, p, at, ORDER).mul(decay)
                    .sub(first.div(denominator).mul(stepSize));
            first.intoByteBuffer(m, at, ORDER);
            second.intoByteBuffer(v, at, ORDER);
            parameter.intoByteBuffer(p, at, ORDER);
        }
        for (; i < end; i++) {
            int at = i * Float.BYTES;
            float gradient = g.getFloat(at) * scale;
            float first = m.getFloat(at) * beta1 + gradient * oneMinusBeta1;
            float second = v.getFloat(at) * beta2 + gradient * gradient * oneMinusBeta2;
            float denominator = (float) Math.sqrt(second) / sqrtBias2 + eps;
            m.putFloat(at, first);
            v.putFloat(at, second);
            p.putFloat(at, p.getFloat(at) * decay - first / denominator * stepSize);
        }
    }

    /**
     * The same update as engine operations on the arrays {@code p}, {@code g}, {@code m} and
     * {@code v}, with autograd recording off: for arrays Java cannot view. The coefficients
     * are the float ones (as the engine rounds them for float32 arrays), also for float64.
     */
    void applyInEngine(NDArray p, NDArray gradient, NDArray m, NDArray v) {
        applyInEngine(p, gradient, m, v, NDArray::sqrt);
    }

    /**
     * {@link #applyInEngine(NDArray, NDArray, NDArray, NDArray)} with the second moment's
     * element-wise square root taken by {@code squareRoot}: a test gives it correctly rounded
     * roots to hold the Java pass to the chain's bits.
     */
    void applyInEngine(NDArray p, NDArray gradient, NDArray m, NDArray v,
            UnaryOperator<NDArray> squareRoot) {
        try (NoGradient noGradient = new NoGradient(); NDScope temporaries = new NDScope()) {
            NDArray g = gradientScale == 1 ? gradient : gradient.mul(gradientScale);
            p.muli(decay);
            m.muli(beta1).addi(g.mul(oneMinusBeta1));
            v.muli(beta2).addi(g.square().muli(oneMinusBeta2));
            NDArray denominator = squareRoot.apply(v).divi(sqrtBias2).addi(eps);
            p.subi(m.div(denominator).muli(stepSize));
        }
    }
}
