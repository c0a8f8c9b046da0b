package ai.collectiveagency.selfplay;

import ai.collectiveagency.schemas.Turn;

import java.util.Objects;

/**
 * A persona's latest thoughts, held from the call that sampled them (the other persona's turn)
 * until its own next turn reads them; they join the trajectory only then, just before that turn.
 *
 * @param thinker whose thoughts
 * @param turn the thoughts as the trajectory records them (segment {@code THOUGHTS_A/B})
 */
record Thoughts(Speaker thinker, Turn turn) {

    Thoughts {
        Objects.requireNonNull(thinker, "thinker");
        Objects.requireNonNull(turn, "turn");
    }

    /** The token ids the thinker sampled. */
    int[] tokenIds() {
        return turn.getCompletionTokenIds().stream().mapToInt(Integer::intValue).toArray();
    }
}
