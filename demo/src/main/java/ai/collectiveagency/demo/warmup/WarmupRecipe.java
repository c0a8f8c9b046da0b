package ai.collectiveagency.demo.warmup;

/**
 * What the warm-up builds and how long it trains.
 *
 * @param tasks tasks drawn from the combinatorial source for the corpus
 * @param vocabSize tokens of the byte-level BPE, its three special tokens included
 * @param hiddenSize model width
 * @param intermediateSize SwiGLU width
 * @param layers transformer blocks
 * @param heads query heads
 * @param kvHeads key/value heads
 * @param maxPositions the context the model is built for
 * @param steps optimiser steps
 * @param batchSize examples per step
 * @param learningRate peak learning rate (cosine decay after a short linear warm-up)
 * @param seed drives the tasks, the script's choices, the initial weights and the batches
 */
public record WarmupRecipe(int tasks, int vocabSize, int hiddenSize, int intermediateSize,
        int layers, int heads, int kvHeads, int maxPositions, int steps, int batchSize,
        double learningRate, long seed) {

    public WarmupRecipe {
        if (tasks < 1 || steps < 1 || batchSize < 1) {
            throw new IllegalArgumentException("tasks, steps and batch size must be >= 1");
        }
        if (vocabSize < 256 + 3) {
            throw new IllegalArgumentException("vocab size must be >= 259 (256 bytes and 3 "
                    + "special tokens), got " + vocabSize);
        }
        if (hiddenSize % heads != 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " must divide into "
                    + heads + " heads, and heads into " + kvHeads + " key/value heads");
        }
    }

    /** The shipped {@code models/negotiator-tiny}: about 1.0M parameters. */
    public static WarmupRecipe defaults() {
        return new WarmupRecipe(4000, 2048, 128, 352, 4, 4, 2, 512, 2000, 16, 3e-3, 7);
    }

    /** The same shape and corpus, trained for {@code steps} steps. */
    public WarmupRecipe withSteps(int steps) {
        return new WarmupRecipe(tasks, vocabSize, hiddenSize, intermediateSize, layers, heads,
                kvHeads, maxPositions, steps, batchSize, learningRate, seed);
    }
}
