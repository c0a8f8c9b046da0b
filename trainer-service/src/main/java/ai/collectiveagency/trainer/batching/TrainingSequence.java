package ai.collectiveagency.trainer.batching;

/**
 * One sequence the trainer scores: its tokens, and on each target position {@code t} (the
 * prediction of {@code tokens[t + 1]}) whether the loss reads it and the behaviour policy's
 * log-prob there. A sequence holds one generated turn ({@link #of(TrainingRow)}), or several
 * turns of one context where each later turn's prompt continues the earlier ones
 * ({@link SharedPrefixes}).
 *
 * @param tokens the whole sequence
 * @param lossMask per target position (length - 1): 1 where a generated token is predicted
 * @param behaviourLogprobs per target position: the sampling log-prob where the mask is 1, else 0
 * @param advantage of every generated token in the sequence
 * @param turns how many generated turns the sequence holds
 */
public record TrainingSequence(int[] tokens, float[] lossMask, float[] behaviourLogprobs,
        double advantage, int turns) {

    public TrainingSequence {
        if (lossMask.length != tokens.length - 1 || behaviourLogprobs.length != lossMask.length) {
            throw new IllegalArgumentException(tokens.length + " tokens need " + (tokens.length
                    - 1) + " target positions, got " + lossMask.length + " and "
                    + behaviourLogprobs.length);
        }
    }

    /** The sequence of one turn: its prompt then its completion, the completion scored. */
    public static TrainingSequence of(TrainingRow row) {
        int p = row.prompt().length;
        int c = row.completion().length;
        int[] tokens = new int[p + c];
        System.arraycopy(row.prompt(), 0, tokens, 0, p);
        System.arraycopy(row.completion(), 0, tokens, p, c);
        float[] mask = new float[p + c - 1];
        float[] behaviour = new float[p + c - 1];
        for (int k = 0; k < c; k++) {
            mask[p - 1 + k] = 1;
            behaviour[p - 1 + k] = row.behaviourLogprobs()[k];
        }
        return new TrainingSequence(tokens, mask, behaviour, row.advantage(), 1);
    }

    public int length() {
        return tokens.length;
    }

    /** Whether {@code row}'s prompt begins with all of this sequence's tokens. */
    boolean continuedBy(TrainingRow row) {
        int[] prompt = row.prompt();
        if (prompt.length < tokens.length || row.advantage() != advantage) {
            return false;
        }
        for (int i = 0; i < tokens.length; i++) {
            if (prompt[i] != tokens[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * This sequence extended by {@code row}, whose prompt continues it: {@code row}'s tokens,
     * this sequence's scored positions kept where they are and {@code row}'s completion added.
     */
    TrainingSequence extendedBy(TrainingRow row) {
        TrainingSequence next = of(row);
        System.arraycopy(lossMask, 0, next.lossMask, 0, lossMask.length);
        System.arraycopy(behaviourLogprobs, 0, next.behaviourLogprobs, 0,
                behaviourLogprobs.length);
        return new TrainingSequence(next.tokens, next.lossMask, next.behaviourLogprobs,
                advantage, turns + 1);
    }
}
