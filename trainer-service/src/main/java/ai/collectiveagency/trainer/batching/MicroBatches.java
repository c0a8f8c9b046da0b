package ai.collectiveagency.trainer.batching;

import ai.collectiveagency.policy.training.TrainingBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Packs a step's sequences into {@link TrainingBatch}es of at most {@code rows} sequences each:
 * sorted by length (stable, so the packing depends only on the sequences) to waste little
 * padding, right-padded with attention 0; the loss mask and the behaviour log-probs stay on
 * their target positions ({@code tokens[t + 1]} is target {@code t}).
 */
public final class MicroBatches {

    private MicroBatches() {
    }

    public static List<TrainingBatch> pack(List<TrainingSequence> sequences, int perBatch) {
        if (perBatch < 1) {
            throw new IllegalArgumentException("rows per micro-batch must be >= 1, was "
                    + perBatch);
        }
        List<TrainingSequence> sorted = new ArrayList<>(sequences);
        sorted.sort(Comparator.comparingInt(TrainingSequence::length));
        List<TrainingBatch> batches = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += perBatch) {
            batches.add(batch(sorted.subList(from, Math.min(sorted.size(), from + perBatch))));
        }
        return batches;
    }

    private static TrainingBatch batch(List<TrainingSequence> sequences) {
        int width = sequences.stream().mapToInt(TrainingSequence::length).max().orElseThrow();
        int count = sequences.size();
        int[][] tokens = new int[count][width];
        int[][] attention = new int[count][width];
        float[][] mask = new float[count][width - 1];
        float[][] old = new float[count][width - 1];
        double[] advantages = new double[count];
        for (int b = 0; b < count; b++) {
            TrainingSequence sequence = sequences.get(b);
            int length = sequence.length();
            System.arraycopy(sequence.tokens(), 0, tokens[b], 0, length);
            Arrays.fill(attention[b], 0, length, 1);
            System.arraycopy(sequence.lossMask(), 0, mask[b], 0, length - 1);
            System.arraycopy(sequence.behaviourLogprobs(), 0, old[b], 0, length - 1);
            advantages[b] = sequence.advantage();
        }
        return new TrainingBatch(tokens, attention, mask, old, advantages);
    }
}
