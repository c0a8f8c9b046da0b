package ai.collectiveagency.policy.optim;

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
}
