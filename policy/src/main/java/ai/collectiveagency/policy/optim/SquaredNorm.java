package ai.collectiveagency.policy.optim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums of squares of float32 buffers in double precision: each float is widened before it is
 * squared, so every square is exact and only the additions round.
 */
final class SquaredNorm {

    private static final VectorSpecies<Float> FLOATS = VectorPass.SPECIES;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = VectorPass.ORDER;

    private SquaredNorm() {}

    /** Sum of x[i]^2 over elements [start, end) of {@code x}. */
    static double sum(ByteBuffer x, int start, int end) {
        DoubleVector low = DoubleVector.zero(DOUBLES);
        DoubleVector high = DoubleVector.zero(DOUBLES);
        int i = start;
        int bound = start + FLOATS.loopBound(end - start);
        for (; i < bound; i += FLOATS.length()) {
            FloatVector v = FloatVector.fromByteBuffer(FLOATS, x, i * Float.BYTES, ORDER);
            DoubleVector a = (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector b = (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 1);
            low = a.fma(a, low);
            high = b.fma(b, high);
        }
        double sum = low.add(high).reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            double value = x.getFloat(i * Float.BYTES);
            sum += value * value;
        }
        return sum;
    }
}
