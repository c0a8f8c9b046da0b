package ai.collectiveagency.policy.bench;

import ai.collectiveagency.policy.lora.LoraConfig;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.ParameterNames;

/**
 * Work of a Llama forward pass: 2 FLOPs per weight per token in the matmuls, plus attention's
 * 4 * heads * headDim FLOPs per (query, key) pair, over the causal half of the square.
 */
final class FlopModel {

    private final LlamaConfig c;
    private final double blockWeights; // weights of all transformer blocks
    private final double headWeights; // output head (tied or not)

    FlopModel(LlamaConfig c) {
        this.c = c;
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long perLayer = (long) c.hiddenSize() * (q + 2 * kv) + q * c.hiddenSize()
                + 3L * c.hiddenSize() * c.intermediateSize();
        this.blockWeights = (double) perLayer * c.numLayers();
        this.headWeights = (double) c.vocabSize() * c.hiddenSize();
    }

    private double attention(double queries, double averageContext) {
        return 4.0 * c.numLayers() * c.numHeads() * c.headDim() * queries * averageContext;
    }

    /** Attention of {@code batch} sequences of {@code length} tokens over themselves. */
    private double causalAttention(int batch, int length) {
        return attention((double) batch * length, (length + 1) / 2.0);
    }

    /** Prompt pass of {@code batch} x {@code length}, logits for the last position only. */
    double prefill(int batch, int length) {
        return 2 * blockWeights * batch * length + causalAttention(batch, length)
                + 2 * headWeights * batch;
    }

    /**
     * Forward + backward of full fine-tuning: backward costs two forwards (gradients of the
     * activations and of every weight). The head runs on {@code scored} positions per sequence
     * only.
     */
    double trainingStep(int batch, int length, int scored) {
        return 3 * forward(batch, length, scored);
    }

    /**
     * Forward + backward under LoRA, counting only what runs: the frozen base gets no weight
     * gradients, so the backward of its projections and head costs one forward (gradients of
     * the activations); attention has no weights, and its backward costs two of its forwards
     * (gradients of the queries, keys and values: four products against two); each adapter
     * (x·Aᵀ then ·Bᵀ, 2·r·(in + out) FLOPs a token) costs three of its forwards, as it gets
     * gradients of its input and of A and B.
     */
    double trainingStepLora(int batch, int length, int scored, LoraConfig lora) {
        double adapterWeights = 0;
        for (String module : lora.targetModules()) {
            long[] outIn = ParameterNames.projectionShape(c, module);
            adapterWeights += (double) lora.rank() * (outIn[0] + outIn[1]);
        }
        double adapter = 2 * adapterWeights * c.numLayers() * batch * length;
        return 2 * forward(batch, length, scored) + causalAttention(batch, length)
                + 3 * adapter;
    }

    private double forward(int batch, int length, int scored) {
        return 2 * blockWeights * batch * length + 2 * headWeights * batch * scored
                + causalAttention(batch, length);
    }

    /**
     * Seconds the bound allows for a generation of {@code newTokens} per row after a prompt of
     * {@code prompt} tokens, counting the passes that run: the prompt's pass, whose logits give
     * the first new token, then {@code newTokens - 1} steps, each feeding the token sampled
     * last. Each pass takes max(FLOP time, weight + cache reads at the read bandwidth): a step
     * writes only its own position's keys and values, so its memory traffic is a read stream
     * ({@link MachineBounds}); the prompt's pass is charged its read of the weights only, its
     * keys and values being written once (1 MB at the bench's default shape).
     */
    double decodeBoundSeconds(int batch, int prompt, int newTokens, MachineBounds bounds) {
        double weightBytes = 4 * (blockWeights + headWeights);
        double seconds = passSeconds(prefill(batch, prompt), weightBytes, bounds);
        double kvBytesPerPosition = 2.0 * 4 * c.numLayers() * c.numKvHeads() * c.headDim();
        for (int step = 1; step < newTokens; step++) {
            double context = prompt + step;
            double work = batch * (2 * (blockWeights + headWeights)) + attention(batch, context);
            seconds += passSeconds(work, weightBytes + batch * context * kvBytesPerPosition,
                    bounds);
        }
        return seconds;
    }

    private static double passSeconds(double work, double bytes, MachineBounds bounds) {
        return Math.max(work / (bounds.matmulGflops() * 1e9),
                bytes / (bounds.readGbPerSecond() * 1e9));
    }
}
