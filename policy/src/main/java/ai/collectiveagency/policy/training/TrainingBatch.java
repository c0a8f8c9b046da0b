package ai.collectiveagency.policy.training;

/**
 * One micro-batch of scored completions to learn from: prompt + completion token rows, padded.
 *
 * <p>Invariant: {@code lossMask} and {@code oldLogprobs} are (B, T-1), aligned with the targets
 * {@code tokens[b][t+1]}; {@code advantages} has one value per row.
 *
 * @param tokens (B, T) prompt and completion ids
 * @param attention (B, T) 1 for real tokens, 0 for padding
 * @param lossMask (B, T-1) 1 where the target token is a generated token to learn from
 * @param oldLogprobs (B, T-1) the behaviour policy's log-probs of the targets, as recorded at
 *     sampling time, or null to take the current policy's (ratio 1)
 * @param advantages (B) one advantage per completion
 */
public record TrainingBatch(int[][] tokens, int[][] attention, float[][] lossMask,
        float[][] oldLogprobs, double[] advantages) {

    public TrainingBatch {
        int rows = tokens.length;
        if (rows == 0 || tokens[0].length < 2) {
            throw new IllegalArgumentException("a training batch needs rows of >= 2 tokens");
        }
        int width = tokens[0].length;
        requireRows("attention", attention.length, rows);
        requireRows("lossMask", lossMask.length, rows);
        requireRows("advantages", advantages.length, rows);
        for (int b = 0; b < rows; b++) {
            if (tokens[b].length != width || attention[b].length != width
                    || lossMask[b].length != width - 1) {
                throw new IllegalArgumentException("row " + b + ": tokens and attention need "
                        + width + " columns, lossMask " + (width - 1));
            }
        }
        if (oldLogprobs != null) {
            requireRows("oldLogprobs", oldLogprobs.length, rows);
        }
    }

    /** Number of tokens the loss sees. */
    public int maskedTokens() {
        int n = 0;
        for (float[] row : lossMask) {
            for (float m : row) {
                n += m != 0 ? 1 : 0;
            }
        }
        return n;
    }

    /** The first target column any row trains on (0 when none does). */
    public int firstScoredTarget() {
        int first = lossMask[0].length;
        for (float[] row : lossMask) {
            for (int t = 0; t < Math.min(first, row.length); t++) {
                if (row[t] != 0) {
                    first = t;
                    break;
                }
            }
        }
        return first == lossMask[0].length ? 0 : first;
    }

    /** Columns {@code from..} of each row, row after row: the layout of a (B, T') array. */
    static float[] flatten(float[][] rows, int from) {
        int width = rows[0].length - from;
        float[] flat = new float[rows.length * width];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], from, flat, b * width, width);
        }
        return flat;
    }

    private static void requireRows(String field, int actual, int rows) {
        if (actual != rows) {
            throw new IllegalArgumentException(field + " has " + actual + " rows, tokens " + rows);
        }
    }
}
