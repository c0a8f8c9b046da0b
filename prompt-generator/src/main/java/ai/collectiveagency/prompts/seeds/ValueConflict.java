package ai.collectiveagency.prompts.seeds;

import java.util.Objects;

/**
 * Two opposed values, e.g. {@code liberty} and {@code safety}; the personas of a task take one
 * side each.
 *
 * @param left the value written first in the seed file
 * @param right the value written second
 */
public record ValueConflict(String left, String right) {

    public ValueConflict {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        if (left.isBlank() || right.isBlank() || left.equals(right)) {
            throw new IllegalArgumentException("a value conflict needs two different values");
        }
    }
}
