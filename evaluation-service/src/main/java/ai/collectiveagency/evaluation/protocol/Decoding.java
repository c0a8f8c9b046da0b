package ai.collectiveagency.evaluation.protocol;

import java.util.Locale;

/** How both policies decode during an evaluation: the papers report both. */
public enum Decoding {
    /** Temperature 0 on every turn: each policy's single most likely negotiation. */
    GREEDY,
    /** The training sampling (temperature, top-p) of every turn, seeded per task. */
    SAMPLED;

    /** {@code greedy} or {@code sampled}, as results name it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Decoding of(String label) {
        for (Decoding decoding : values()) {
            if (decoding.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
                return decoding;
            }
        }
        throw new IllegalArgumentException("decoding must be greedy or sampled, was " + label);
    }
}
