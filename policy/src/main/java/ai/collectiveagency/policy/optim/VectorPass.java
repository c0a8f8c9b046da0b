package ai.collectiveagency.policy.optim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** What the optimiser's Java passes over engine memory share. */
final class VectorPass {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /**
     * Elements between the points where a pass may be split over threads (64 KiB of each
     * array, a whole number of vectors), and the blocks a norm sums apart.
     */
    static final int GRAIN = 1 << 14;

    private VectorPass() {}

    /** Writes 0 into elements [start, end) of {@code x}. */
    static void zero(ByteBuffer x, int start, int end) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = start;
        int bound = start + SPECIES.loopBound(end - start);
        for (; i < bound; i += SPECIES.length()) {
            zero.intoByteBuffer(x, i * Float.BYTES, ORDER);
        }
        for (; i < end; i++) {
            x.putFloat(i * Float.BYTES, 0f);
        }
    }
}
