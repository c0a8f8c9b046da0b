package ai.collectiveagency.trainer.batching;

import ai.collectiveagency.policy.training.TrainingBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Packs a step's rows into {@link TrainingBatch}es of at most {@code rows} sequences each:
 * sorted by length (stable, so the packing depends only on the rows) to waste little padding,
 * right-padded with attention 0; the loss mask and the behaviour log-probs sit on the
 * completion's target positions ({@code tokens[t + 1]} is target {@code t}).
 */
public final class MicroBatches {

    private MicroBatches() {
    }

    public static List<TrainingBatch> pack(List<TrainingRow> rows, int perBatch) {
        if (perBatch < 1) {
            throw new IllegalArgumentException("rows per micro-batch must be >= 1, was "
                    + perBatch);
        }
        List<TrainingRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt(TrainingRow::length));
        List<TrainingBatch> batches = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += perBatch) {
            batches.add(batch(sorted.subList(from, Math.min(sorted.size(), from + perBatch))));
        }
        return batches;
    }

    private static TrainingBatch batch(List<TrainingRow> rows) {
        int width = rows.stream().mapToInt(TrainingRow::length).max().orElseThrow();
        int count = rows.size();
        int[][] tokens = new int[count][width];
        int[][] attention = new int[count][width];
        float[][] mask = new float[count][width - 1];
        float[][] old = new float[count][width - 1];
        double[] advantages = new double[count];
        for (int b = 0; b < count; b++) {
            TrainingRow row = rows.get(b);
            int p = row.prompt().length;
            System.arraycopy(row.prompt(), 0, tokens[b], 0, p);
            System.arraycopy(row.completion(), 0, tokens[b], p, row.completion().length);
            for (int t = 0; t < row.length(); t++) {
                attention[b][t] = 1;
            }
            for (int k = 0; k < row.completion().length; k++) {
                mask[b][p - 1 + k] = 1;
                old[b][p - 1 + k] = row.behaviourLogprobs()[k];
            }
            advantages[b] = row.advantage();
        }
        return new TrainingBatch(tokens, attention, mask, old, advantages);
    }
}
