package ai.collectiveagency.policy.decode;

import jdk.incubator.vector.FloatVector;

/**
 * How many input rows {@link PanelMatmul} runs through one panel at a time: the register
 * blocking of {@link PanelKernels} and {@link OneStreamKernels}. A batch is cut into blocks of
 * {@link #rows()} rows, and the remainder into blocks of 4, 2 and 1 row.
 *
 * <p>Usage: {@code new PanelMatmul(range, PanelTiling.preferred())}.
 */
public enum PanelTiling {
    /** 4 rows x 3 vectors: 12 accumulators, fits AVX2's 16 vector registers. */
    FOUR_ROWS(4),
    /** 8 rows x 3 vectors: 24 accumulators, needs AVX-512's 32 vector registers. */
    EIGHT_ROWS(8);

    /** System property: {@code 4} or {@code 8} forces a tiling (default: by vector width). */
    public static final String PROPERTY = "policy.decode.panel-rows";

    private final int rows;

    PanelTiling(int rows) {
        this.rows = rows;
    }

    /** Input rows per block. */
    public int rows() {
        return rows;
    }

    /**
     * The tiling for this machine: 8 rows with 512-bit vectors, else 4, unless
     * {@link #PROPERTY} says otherwise.
     */
    public static PanelTiling preferred() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null) {
            return switch (forced.trim()) {
                case "4" -> FOUR_ROWS;
                case "8" -> EIGHT_ROWS;
                default -> throw new IllegalArgumentException(PROPERTY + " must be 4 or 8, got '"
                        + forced + "'");
            };
        }
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? EIGHT_ROWS : FOUR_ROWS;
    }

    /** Rows of the next block when {@code left} rows remain: the largest kernel that fits. */
    int block(int left) {
        if (left >= rows) {
            return rows;
        }
        if (left >= 4) {
            return 4;
        }
        return left >= 2 ? 2 : 1;
    }
}
