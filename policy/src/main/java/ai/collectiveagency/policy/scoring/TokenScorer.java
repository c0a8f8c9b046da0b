package ai.collectiveagency.policy.scoring;

import ai.collectiveagency.policy.decode.TransposedProduct;
import ai.collectiveagency.policy.engine.Backward;
import ai.collectiveagency.policy.engine.NativeFloats;
import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.RecordedAttention;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Teacher-forced log-probabilities (and entropies) of given sequences: the trainer's primitive.
 *
 * <p>Sequences are padded (left or right) with a (B, T) attention mask; the log-prob at a padded
 * target is meaningless and must be masked by the caller's loss mask.
 *
 * <p>The output head and log-softmax run a slice of {@code chunkRows} (batch x position) rows at a
 * time: each slice's logits and their temporaries are freed before the next slice, so no (B, T, V)
 * logits, log-softmax, exp or product tensor is ever held at once. The trainer's
 * {@link #scoreAndBackward} back-propagates each slice before the next, so autograd keeps none
 * of them; {@link #score} under a caller's gradient collector keeps one log-softmax per slice
 * for the caller's backward (together (B, T, V)). The whole-tensor version held several
 * (B, T, V) arrays at once (logits, log-softmax, entropy's exp and product, then their
 * gradients): 195 MiB each for a 32,000-token vocabulary and 8 x 191 scored positions.
 */
public final class TokenScorer {

    /**
     * Elements of one slice's logits: 2^24 floats (64 MiB), 524 positions of a 32,000-token
     * vocabulary. Against 2^23, GRPO steps of the bench model took 3-5% less (median LoRA steps
     * 1.79-1.81 s against 1.86-1.89, full 2.20-2.27 against 2.33-2.36, Intel AMX VM): fewer
     * head-weight gradients to add up and larger products, with no higher peak now that a
     * trained slice keeps only its logits. The engine's path ({@link #score}, and arrays Java
     * cannot view) holds the slice's log-softmax and the entropy's temporaries besides: about
     * 256 MiB at this size.
     */
    private static final int CHUNK_ELEMENTS = 1 << 24;

    private final Llama model;
    private final int chunkRows;
    private final HeadProducts head;
    /** The Java head's panels and logits, kept from pass to pass; made on first use. */
    private JavaHead javaHead;
    private HeadProducts lastHead;
    private RecordedAttention lastAttention;

    public TokenScorer(Llama model) {
        this(model, Math.max(1, CHUNK_ELEMENTS / model.config().vocabSize()));
    }

    /**
     * @param chunkRows (batch x position) rows whose logits are computed at once; results do not
     *     depend on it beyond float rounding of the head's matmul
     */
    public TokenScorer(Llama model, int chunkRows) {
        this(model, chunkRows, HeadProducts.configured());
    }

    /**
     * @param head who computes the output head's products in {@link #scoreAndBackward} (tests,
     *     and benches comparing them)
     */
    public TokenScorer(Llama model, int chunkRows, HeadProducts head) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunk rows must be >= 1, got " + chunkRows);
        }
        this.model = model;
        this.chunkRows = chunkRows;
        this.head = head;
    }

    /**
     * Scores on the engine; call inside a gradient collector to differentiate.
     *
     * @param manager owner of the results
     * @param tokens (B, T) token ids
     * @param attention (B, T) 1 for real tokens
     * @param useAdapter false scores under the reference model (adapter disabled)
     * @param withEntropy whether to compute entropies too
     */
    public TokenScores score(NDManager manager, int[][] tokens, int[][] attention,
            boolean useAdapter, boolean withEntropy) {
        return score(manager, tokens, attention, 0, useAdapter, withEntropy);
    }

    /**
     * Scores only the targets {@code tokens[b][t+1]} for {@code t >= from}: the output head, the
     * largest matmul of a small model, then skips the prompt positions nobody trains on.
     *
     * @return scores shaped (B, T-1-from)
     */
    public TokenScores score(NDManager manager, int[][] tokens, int[][] attention, int from,
            boolean useAdapter, boolean withEntropy) {
        int batch = tokens.length;
        NDArray rows = predictingStates(manager, tokens, attention, from, useAdapter);
        if (rows.size() == 0) { // nothing to predict: the last position has no next token
            return new TokenScores(manager.zeros(new Shape(batch, 0), model.dataType()),
                    withEntropy ? manager.zeros(new Shape(batch, 0), model.dataType()) : null);
        }
        return scoreSlices(manager, rows, tokens, from, withEntropy,
                (logits, targets, slice) -> engineScores(logits, targets, withEntropy,
                        logprobs -> logprobs));
    }

    /**
     * The loss of one slice of scored positions, a scalar to back-propagate.
     *
     * <p>{@code logprobs} (n, 1) are the slice's log-probs, differentiable; {@code rows} selects
     * the slice's n rows of the (B x (T-1-from)) scored positions, flattened row-major.
     */
    @FunctionalInterface
    public interface SliceLoss {
        NDArray of(NDArray logprobs, NDIndex rows);
    }

    /**
     * Scores as {@link #score(NDManager, int[][], int[][], int, boolean, boolean)} and
     * back-propagates a loss that is a sum over slices of positions, one slice at a time: each
     * slice's logits, log-softmax and their gradients are freed before the next slice is
     * computed, so not even autograd holds a (B, T, V) tensor. The head's gradients reach the
     * transformer through its final hidden states, whose gradient is summed over the slices and
     * back-propagated once at the end. Costs no recomputation: every slice's head runs once
     * forward and once backward, as in one whole-batch backward. Where Java can view the
     * logits (float32 on the CPU), their log-softmax, its gradient and the entropies are
     * computed in Java over them ({@link SoftmaxRows}) and the engine back-propagates from the
     * logits; elsewhere the engine's log-softmax and autograd do it all. With
     * {@link HeadProducts#JAVA} and at least {@link JavaHead#MIN_ROWS} positions, the head's
     * products are Java's too ({@link #javaHeadScoresAndBackward}). Where the model attends in
     * Java ({@link RecordedAttention}), the backward then goes on through the cuts in the graph,
     * block by block ({@link Llama.TrainingStates#finishBackward}).
     *
     * <p>A scorer keeps the Java head's buffers from one call to the next, so keep one per
     * trainer, and call it from one thread at a time.
     *
     * @param collector the open gradient collector that receives both passes
     * @param loss each slice's loss; their sum is the loss differentiated
     * @return the scores, detached from the graph (already back-propagated)
     */
    public TokenScores scoreAndBackward(NDManager manager, int[][] tokens, int[][] attention,
            int from, boolean useAdapter, boolean withEntropy, GradientCollector collector,
            SliceLoss loss) {
        if (tokens[0].length - 1 - from == 0) { // nothing to predict, nothing to differentiate
            return score(manager, tokens, attention, from, useAdapter, withEntropy);
        }
        Llama.TrainingStates states = model.trainingStates(manager, tokens, attention, from,
                useAdapter);
        NDArray predicting = predictingRows(states.states(), tokens, from);
        lastHead = javaHead(predicting) ? HeadProducts.JAVA : HeadProducts.ENGINE;
        TokenScores scores = lastHead == HeadProducts.JAVA
                ? javaHeadScoresAndBackward(manager, predicting, tokens, from, withEntropy,
                        collector, loss)
                : engineHeadScoresAndBackward(manager, predicting, tokens, from, withEntropy,
                        collector, loss);
        states.finishBackward(); // the backward has reached the last block's output
        lastAttention = states.attention();
        return scores;
    }

    /** {@link #scoreAndBackward} with the engine's head products. */
    private TokenScores engineHeadScoresAndBackward(NDManager manager, NDArray predicting,
            int[][] tokens, int from, boolean withEntropy, GradientCollector collector,
            SliceLoss loss) {
        NDArray finalStates = predicting.stopGradient(); // a leaf: the slices' backward ends here
        finalStates.setRequiresGradient(true);
        TokenScores scores = scoreSlices(manager, finalStates, tokens, from, withEntropy,
                (logits, targets, slice) -> {
                    Optional<ByteBuffer> memory = NativeFloats.view(logits);
                    if (memory.isEmpty()) { // on a GPU or not float32
                        return engineScores(logits, targets, withEntropy, logprobs -> {
                            collector.backward(loss.of(logprobs, slice));
                            return logprobs.stopGradient();
                        });
                    }
                    return javaScoresAndBackward(logits, memory.get(), targets, slice,
                            withEntropy, collector, loss);
                });
        collector.backward(predicting.mul(finalStates.getGradient()).sum());
        return scores;
    }

    /** One slice's log-probs (n, 1) and entropies (n, 1), or null entropies when not asked. */
    private record SliceScores(NDArray logprobs, NDArray entropies) {}

    /**
     * Scores one slice of positions from its logits (n, V); {@code targets} (n, 1) holds the
     * rows' target ids and {@code slice} selects the slice's rows of the scored positions.
     */
    @FunctionalInterface
    private interface SliceScorer {
        SliceScores of(NDArray logits, NDArray targets, NDIndex slice);
    }

    /** The engine's log-softmax; {@code result} makes the scores of its log-probs (n, 1). */
    private static SliceScores engineScores(NDArray logits, NDArray targets,
            boolean withEntropy, UnaryOperator<NDArray> result) {
        NDArray logSoftmax = logits.logSoftmax(-1); // (n, V)
        NDArray logprobs = result.apply(logSoftmax.gather(targets, -1));
        return new SliceScores(logprobs,
                withEntropy ? entropy(logSoftmax.stopGradient()) : null);
    }

    /**
     * The slice's loss back-propagated to its log-probs by the engine, from there to the logits
     * in Java (over the logits' own memory, which backward of the head's product does not
     * read), and from the logits by the engine.
     */
    private SliceScores javaScoresAndBackward(NDArray logits, ByteBuffer memory,
            NDArray targetIds, NDIndex slice, boolean withEntropy, GradientCollector collector,
            SliceLoss loss) {
        int[] targets = Arrays.stream(targetIds.toLongArray()).mapToInt(Math::toIntExact)
                .toArray();
        int rows = targets.length;
        int vocab = Math.toIntExact(logits.getShape().get(1));
        LogitMemory logitMemory = new LogitMemory.Native(memory);
        SoftmaxRows.Scores scores = SoftmaxRows.score(logitMemory, rows, vocab, targets);
        NDManager manager = logits.getManager();
        NDArray logprobs = NativeFloats.create(manager, scores.logprobs(), new Shape(rows, 1));
        logprobs.setRequiresGradient(true);
        collector.backward(loss.of(logprobs, slice));
        float[] logprobGradients = logprobs.getGradient().toFloatArray();
        SoftmaxRows.backward(logitMemory, rows, vocab, targets, scores.logSumExp(),
                logprobGradients);
        Backward.from(logits, logits.stopGradient()); // the memory now holds its gradient
        return new SliceScores(logprobs.stopGradient(), withEntropy
                ? NativeFloats.create(manager, scores.entropies(), new Shape(rows, 1)) : null);
    }

    /**
     * Who computed the head's products in the last {@link #scoreAndBackward} that had positions
     * to score (null before one): {@link #head} applies only to passes big enough, float32 on
     * the CPU.
     */
    public HeadProducts lastHead() {
        return lastHead;
    }

    /**
     * Who attended in the last {@link #scoreAndBackward} that had positions to score (null
     * before one): {@link Llama#recordedAttention()} where the pass allowed it.
     */
    public RecordedAttention lastAttention() {
        return lastAttention;
    }

    /** Whether {@link #scoreAndBackward} takes the Java head for these final hidden states. */
    private boolean javaHead(NDArray predicting) {
        NDArray weights = model.outputHead();
        return head == HeadProducts.JAVA && predicting.getShape().get(0) >= JavaHead.MIN_ROWS
                && predicting.getDataType() == DataType.FLOAT32 && !predicting.getDevice().isGpu()
                && weights.getDataType() == DataType.FLOAT32 && !weights.getDevice().isGpu();
    }

    /**
     * {@link #scoreAndBackward} with the head's products in Java ({@link JavaHead}): per slice of
     * positions the logits X·Eᵀ into a Java array, their log-softmax and its gradient G in place
     * ({@link SoftmaxRows}), X's gradient G·E summed into one array for the whole pass, and, when
     * the head is trained, its gradient Gᵀ·X summed into one engine array
     * ({@link TransposedProduct}). At the end the head's gradient is handed to the engine and
     * the transformer is back-propagated once, from X's gradient.
     */
    private TokenScores javaHeadScoresAndBackward(NDManager manager, NDArray predicting,
            int[][] tokens, int from, boolean withEntropy, GradientCollector collector,
            SliceLoss loss) {
        NDArray weights = model.outputHead();
        if (javaHead == null) {
            javaHead = new JavaHead();
        }
        JavaHead products = javaHead;
        products.load(weights);
        int vocab = products.vocab();
        int hidden = products.hidden();
        int batch = tokens.length;
        int width = tokens[0].length - 1 - from;
        int count = batch * width;
        float[] states = NativeFloats.copy(predicting, new float[count * hidden]);
        long[] next = nextTokens(tokens, from);
        int sliceRows = Math.min(count, chunkRows);
        float[] logits = products.logitBuffer(sliceRows * vocab);
        float[] sliceStates = new float[sliceRows * hidden];
        float[] sliceGradient = new float[sliceRows * hidden];
        float[] statesGradient = new float[count * hidden];
        float[] logprobs = new float[count];
        float[] entropies = new float[count];
        // the head's gradient, summed over the slices in the engine's memory, when trained
        NDArray headGradient = weights.hasGradient()
                ? manager.create(weights.getShape(), DataType.FLOAT32) : null;
        ByteBuffer headGradientMemory = headGradient == null ? null
                : NativeFloats.view(headGradient).orElseThrow();
        for (int start = 0; start < count; start += chunkRows) {
            int rows = Math.min(count, start + chunkRows) - start;
            NDIndex slice = new NDIndex("{}:{}", start, start + rows);
            int[] targets = new int[rows];
            for (int r = 0; r < rows; r++) {
                targets[r] = Math.toIntExact(next[start + r]);
            }
            System.arraycopy(states, start * hidden, sliceStates, 0, rows * hidden);
            products.logits(sliceStates, rows, logits);
            LogitMemory memory = new LogitMemory.Heap(logits, rows * vocab);
            SoftmaxRows.Scores scores = SoftmaxRows.score(memory, rows, vocab, targets);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray sliceLogprobs = NativeFloats.create(manager, scores.logprobs(),
                        new Shape(rows, 1));
                sliceLogprobs.setRequiresGradient(true);
                collector.backward(loss.of(sliceLogprobs, slice));
                SoftmaxRows.backward(memory, rows, vocab, targets, scores.logSumExp(),
                        sliceLogprobs.getGradient().toFloatArray());
                products.inputGradient(logits, rows, sliceGradient);
                System.arraycopy(sliceGradient, 0, statesGradient, start * hidden,
                        rows * hidden);
                if (headGradient != null) {
                    products.weightGradient(logits, sliceStates, rows, headGradientMemory,
                            start > 0);
                }
            }
            System.arraycopy(scores.logprobs(), 0, logprobs, start, rows);
            System.arraycopy(scores.entropies(), 0, entropies, start, rows);
        }
        if (headGradient != null) {
            Backward.from(weights, headGradient);
            headGradient.close(); // added into the head's gradient: not held through backward
        }
        Backward.from(predicting, NativeFloats.create(manager, statesGradient,
                new Shape(count, hidden)));
        Shape shape = new Shape(batch, width);
        return new TokenScores(NativeFloats.create(manager, logprobs, shape),
                withEntropy ? NativeFloats.create(manager, entropies, shape) : null);
    }

    /**
     * The final hidden states that predict targets from+1..T-1, one row per scored position:
     * (B x (T-1-from), D).
     */
    private NDArray predictingStates(NDManager manager, int[][] tokens, int[][] attention,
            int from, boolean useAdapter) {
        return predictingRows(model.hidden(manager, tokens, attention, null, from, useAdapter),
                tokens, from);
    }

    private static NDArray predictingRows(NDArray hidden, int[][] tokens, int from) {
        long rows = (long) tokens.length * (tokens[0].length - 1 - from);
        return hidden.get(new NDIndex(":, :-1, :")).reshape(rows, hidden.getShape().get(2));
    }

    /**
     * The head and log-softmax over {@code rows} (B x width, D), {@code chunkRows} at a time, each
     * slice's temporaries freed before the next; entropies are never differentiated.
     */
    private TokenScores scoreSlices(NDManager manager, NDArray rows, int[][] tokens, int from,
            boolean withEntropy, SliceScorer scorer) {
        int batch = tokens.length;
        int width = tokens[0].length - 1 - from;
        int count = batch * width;
        // Created here, outside the slices' scopes, and open until the step ends: the engine
        // wraps the Java buffer without copying, and gather's backward reads these indices.
        NDArray targets = manager.create(nextTokens(tokens, from), new Shape(count, 1));
        NDList logprobs = new NDList();
        NDList entropies = new NDList();
        for (int start = 0; start < count; start += chunkRows) {
            NDIndex slice = new NDIndex("{}:{}", start, Math.min(count, start + chunkRows));
            try (NDScope chunk = new NDScope()) {
                chunk.suppressNotUsedWarning();
                NDArray logits = Linear.linear(rows.get(slice), model.outputHead())
                        .singletonOrThrow(); // (n, V)
                SliceScores scores = scorer.of(logits, targets.get(slice), slice);
                NDScope.unregister(scores.logprobs());
                logprobs.add(scores.logprobs());
                if (withEntropy) {
                    NDScope.unregister(scores.entropies());
                    entropies.add(scores.entropies());
                }
            }
        }
        Shape shape = new Shape(batch, width);
        return new TokenScores(join(logprobs).reshape(shape),
                withEntropy ? join(entropies).reshape(shape) : null);
    }

    /** Plain-Java scores (no gradient): {@code [b][t]} = log p(tokens[b][t+1] | ...). */
    public float[][] logprobs(int[][] tokens, int[][] attention) {
        try (NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            float[] flat = score(manager, tokens, attention, true, false).logprobs()
                    .toFloatArray();
            int width = tokens[0].length - 1;
            float[][] out = new float[tokens.length][width];
            for (int b = 0; b < tokens.length; b++) {
                System.arraycopy(flat, b * width, out[b], 0, width);
            }
            return out;
        }
    }

    /** A statistic, never differentiated: no graph is kept for it. (n, V) to (n, 1). */
    private static NDArray entropy(NDArray logSoftmax) {
        return logSoftmax.exp().mul(logSoftmax).sum(new int[] {-1}, true).neg();
    }

    private static NDArray join(NDList chunks) {
        return chunks.size() == 1 ? chunks.head() : NDArrays.concat(chunks, 0);
    }

    private static long[] nextTokens(int[][] tokens, int from) {
        int width = tokens[0].length - 1 - from;
        long[] next = new long[tokens.length * width];
        for (int b = 0; b < tokens.length; b++) {
            for (int t = 0; t < width; t++) {
                next[b * width + t] = tokens[b][from + t + 1];
            }
        }
        return next;
    }
}
