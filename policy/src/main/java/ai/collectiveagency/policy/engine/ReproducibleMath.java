package ai.collectiveagency.policy.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector functions whose results are the same to the bit whether the JIT has compiled the
 * caller yet or not, for Java kernels inside training: a trainer resumed from a checkpoint must
 * repeat its steps exactly. The Vector API's own {@code EXP} is the platform's vector library
 * once compiled and {@code Math.exp} per lane before, so these are built of IEEE additions,
 * multiplications, divisions and bit operations alone. (A first exponential converted floats to
 * ints with the Vector API, which JDK 17 did not compile to vector code: training steps 15-20%
 * slower and a peak about 1 GiB higher.)
 */
public final class ReproducibleMath {

    private static final float ROUNDING = 12582912f; // 1.5 * 2^23
    private static final int ROUNDING_BITS = Float.floatToIntBits(ROUNDING);

    private ReproducibleMath() {}

    /**
     * exp(x) within 2 ulps (Cephes' expf): x = n ln 2 + r with |r| <= ln 2 / 2, a degree-5
     * polynomial for (exp(r) - 1 - r) / r^2, and 2^n put into the exponent's bits. Below -87.3
     * (where exp(x) is under float's smallest normal) it returns exp(-87.3), about 1.2e-38;
     * above 88 (near float's largest) exp(88), about 1.65e38.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(-87.33654f).min(88f);
        // n = round(x / ln 2): adding 1.5 * 2^23 rounds to an integer held in the low bits
        FloatVector shifted = clamped.mul(1.44269504088896341f).add(ROUNDING);
        FloatVector nf = shifted.sub(ROUNDING);
        // ln 2 in two parts: n times the first is exact
        FloatVector r = clamped.sub(nf.mul(0.693359375f)).add(nf.mul(2.12194440e-4f));
        FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f)
                .mul(r).add(8.3334519073e-3f)
                .mul(r).add(4.1665795894e-2f)
                .mul(r).add(1.6666665459e-1f)
                .mul(r).add(5.0000001201e-1f)
                .mul(r.mul(r)).add(r).add(1f);
        // 2^n: n + 127 in the exponent's bits
        FloatVector twoToN = ((IntVector) shifted.reinterpretAsInts())
                .sub(ROUNDING_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return p.mul(twoToN);
    }

    /**
     * The logistic sigmoid 1 / (1 + exp(-x)); exp's clamps keep it finite (it rounds to 1 from
     * about 17, and is about 6e-39 below -88). A form from exp(-|x|) with a blend by sign took
     * 3.5 times as long on JDK 17: its masks did not compile to vector code.
     */
    public static FloatVector sigmoid(FloatVector x) {
        return x.broadcast(1f).div(exp(x.neg()).add(1f));
    }
}
