package ai.collectiveagency.policy.tokenizer;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The special token ids that generation needs: where a sequence ends, starts, and what pads it.
 *
 * @param eosIds ids that end a sequence, never empty, in the order their sources were read
 * @param bosId the beginning-of-sequence id, if the model has one (Qwen2 has none)
 * @param padId the id that fills batch rows shorter than the longest
 */
public record SpecialTokenIds(Set<Integer> eosIds, OptionalInt bosId, int padId) {

    /** Checks there is an end of sequence and freezes the set in its order. */
    public SpecialTokenIds {
        if (eosIds.isEmpty()) {
            throw new IllegalArgumentException("at least one end-of-sequence id is needed");
        }
        eosIds = Collections.unmodifiableSet(new LinkedHashSet<>(eosIds));
    }

    /** Whether {@code id} ends a sequence. */
    public boolean isEos(int id) {
        return eosIds.contains(id);
    }

    /** The end-of-sequence ids as an array, in order. */
    public int[] eosIdArray() {
        return eosIds.stream().mapToInt(Integer::intValue).toArray();
    }
}
