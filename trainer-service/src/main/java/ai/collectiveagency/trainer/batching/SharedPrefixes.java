package ai.collectiveagency.trainer.batching;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a step's rows into the sequences the trainer scores, each turn whose prompt begins with
 * an earlier sequence (its prompt and completion, token for token) and shares its advantage
 * merged into it. A persona's second turn sees its system prompt, the first exchange and its own
 * first turn, so both turns become one sequence, scored once: a dialogue of r rounds costs one
 * pass over its longest context instead of r passes over growing ones.
 *
 * <p>The merge changes nothing the loss sees: every generated token keeps its context (causal
 * attention reads only the tokens before it, which are the same), its behaviour log-prob and its
 * advantage. The loss must therefore weigh every token alike across the step, as
 * {@code trainer.aggregation=dapo} does; aggregations that average per sequence or per
 * micro-batch would weigh a merged turn differently, so for them every row stays a sequence
 * ({@link #separate}).
 *
 * <p>Whether a later prompt continues an earlier turn is checked on the token ids, never
 * assumed: a chat template that rewrites earlier turns (one that drops reasoning, say), or text
 * that tokenizes differently when re-encoded, leaves the turns apart.
 */
public final class SharedPrefixes {

    private SharedPrefixes() {
    }

    /** Every row its own sequence. */
    public static List<TrainingSequence> separate(List<TrainingRow> rows) {
        return rows.stream().map(TrainingSequence::of).toList();
    }

    /**
     * Rows in trajectory and turn order, each merged into the latest sequence it continues (if
     * any).
     */
    public static List<TrainingSequence> merge(List<TrainingRow> rows) {
        List<TrainingSequence> sequences = new ArrayList<>();
        for (TrainingRow row : rows) {
            int continued = latestContinuedBy(sequences, row);
            if (continued < 0) {
                sequences.add(TrainingSequence.of(row));
            } else {
                sequences.set(continued, sequences.get(continued).extendedBy(row));
            }
        }
        return sequences;
    }

    /** Index of the latest sequence {@code row} continues, or -1. */
    private static int latestContinuedBy(List<TrainingSequence> sequences, TrainingRow row) {
        for (int i = sequences.size() - 1; i >= 0; i--) {
            if (sequences.get(i).continuedBy(row)) {
                return i;
            }
        }
        return -1;
    }
}
