package ai.collectiveagency.policy.decode;

import ai.collectiveagency.policy.model.LlamaConfig;

/**
 * Decode steps of a Llama for a batch of sequences, in Java over a {@link JavaKvCache}: the same
 * computation as {@code Llama.forward} for T new tokens per row, T = 1 for a decode step and
 * a whole prompt for a prefill.
 *
 * <pre>
 *   h = embed(tokens)                                        (B·T, D)
 *   for each block:  q,k,v = rmsnorm(h)·[Wq;Wk;Wv]ᵀ (+ b)   (B·T, H·hD + 2·KV·hD)
 *                    (Qwen3) q,k = rmsnorm of each head        over hD
 *                    rotate q (scaled 1/sqrt(hD)) and k at each token's position
 *                    append k, v to the cache; h += attention(q)·Woᵀ   (causal over the row)
 *                    g,u = rmsnorm(h)·[Wg;Wu]ᵀ;  h += (silu(g)·u)·Wdᵀ
 *   logits = rmsnorm(h of each row's last token)·headᵀ     (B, V)
 * </pre>
 *
 * <p>A short prompt is prefilled here rather than by the engine: its matrix products have as
 * few rows as a decode step's, where the engine pays for each of its ~300 calls (a 16-token
 * prompt of the 40M bench model took 33-55 ms through the engine, about ten decode steps). On
 * AMD's Zen 5 longer ones are too: there these kernels outrun the engine's products at every
 * size measured ({@code sampling.Generator}). A prefill's buffers last for its pass only, so a
 * decode keeps only a step's.
 *
 * <p>Usage: {@code JavaDecoder d = new JavaDecoder(weights, cache, matmul);
 * float[] logits = d.feed(paddedPrompts, longest); logits = d.step(lastTokens);
 * d.keepRows(survivors);}
 */
public final class JavaDecoder {

    /**
     * Rows of SwiGLU's activation per part handed to a thread: a row of 1,376 took about 3 µs
     * here, so smaller parts would cost more in hand-off than they save (batch 16: four parts).
     */
    private static final int SILU_ROWS_PER_PART = 4;

    private final DecodeWeights weights;
    private final LlamaConfig config;
    private final JavaKvCache cache;
    private final PanelMatmul matmul;
    private final DecodeRotary rotary;
    private final DecodeAttention attention;
    private final int qkvWidth;
    private final Activations stepBuffers; // a decode step's: one row per sequence
    private final float[] lastNormed; // (B, D) each row's last token, normed for the head
    private final float[] logits; // (B, V)

    /** A decoder continuing the sequences in {@code cache} (its batch sizes the buffers). */
    public JavaDecoder(DecodeWeights weights, JavaKvCache cache, PanelMatmul matmul) {
        this.weights = weights;
        this.config = weights.config();
        this.cache = cache;
        this.matmul = matmul;
        this.rotary = new DecodeRotary(config);
        this.attention = new DecodeAttention(config, matmul.range());
        this.qkvWidth = config.numHeads() * config.headDim()
                + 2 * config.numKvHeads() * config.headDim();
        int batch = cache.batch();
        this.stepBuffers = new Activations(config, qkvWidth, batch);
        this.lastNormed = new float[batch * config.hiddenSize()];
        this.logits = new float[batch * config.vocabSize()];
    }

    public JavaKvCache cache() {
        return cache;
    }

    /**
     * Feeds one token per row and returns the next-token logits, (B, V) row-major; the array is
     * reused by the next step.
     */
    public float[] step(int[] tokens) {
        return feed(tokens, 1);
    }

    /**
     * Feeds {@code perRow} tokens to every row, (B, T) row-major (a left-padded prompt's padding
     * takes the row's padding slots), and returns the logits after each row's last token, (B,
     * V) row-major; the array is reused by the next call.
     */
    public float[] feed(int[] tokens, int perRow) {
        int batch = cache.batch();
        if (perRow < 1 || tokens.length != batch * perRow) {
            throw new IllegalArgumentException(tokens.length + " tokens for " + batch + " rows of "
                    + perRow);
        }
        if (cache.length() + perRow > cache.capacity()) { // before any layer writes past a row
            throw new IllegalStateException("KV cache full (" + cache.capacity() + " slots)");
        }
        int rows = batch * perRow;
        // a prefill's buffers (240 MB at 8,192 tokens of the 40M model) last for its pass only
        Activations a = rows <= stepBuffers.rows ? stepBuffers
                : new Activations(config, qkvWidth, rows);
        int d = config.hiddenSize();
        int half = config.headDim() / 2;
        float scale = (float) (1 / Math.sqrt(config.headDim()));
        for (int r = 0; r < rows; r++) {
            weights.embed(tokens[r], a.hidden, r * d);
            int position = cache.nextPosition(r / perRow) + r % perRow;
            rotary.angles(position, 1f, a.keyCos, a.keySin, r * half);
            rotary.angles(position, scale, a.queryCos, a.querySin, r * half);
        }
        for (int layer = 0; layer < config.numLayers(); layer++) {
            block(layer, weights.layers()[layer], a, rows, perRow);
        }
        cache.advance(perRow);
        float eps = (float) config.rmsNormEps();
        for (int b = 0; b < batch; b++) {
            VectorMath.rmsNorm(a.hidden, ((b + 1) * perRow - 1) * d, weights.finalNorm(), eps,
                    lastNormed, b * d, d);
        }
        matmul.multiply(lastNormed, batch, weights.head(), null, logits);
        return logits;
    }

    /** Keeps only the rows in {@code rows} (ascending), e.g. when sequences finish. */
    public void keepRows(int[] rows) {
        cache.keepRows(rows);
    }

    private void block(int layer, DecodeWeights.Layer w, Activations a, int rows, int perRow) {
        int d = config.hiddenSize();
        norm(w.inputNorm(), a, rows);
        matmul.multiply(a.normed, rows, w.qkv(), w.qkvBias(), a.qkv);
        attention.attend(cache, layer, perRow, a.qkv, qkvWidth, a.attended,
                (token, group) -> place(layer, w, a, token, group, perRow));
        matmul.multiply(a.attended, rows, w.output(), null, a.projected);
        VectorMath.add(a.projected, 0, a.hidden, 0, rows * d);

        int m = config.intermediateSize();
        norm(w.postNorm(), a, rows);
        matmul.multiply(a.normed, rows, w.gateUp(), null, a.gateUp);
        matmul.range().run(rows, SILU_ROWS_PER_PART, (first, end) -> {
            for (int r = first; r < end; r++) {
                VectorMath.siluTimes(a.gateUp, r * 2 * m, a.gateUp, r * 2 * m + m, a.activated,
                        r * m, m);
            }
        });
        matmul.multiply(a.activated, rows, w.down(), null, a.projected);
        VectorMath.add(a.projected, 0, a.hidden, 0, rows * d);
    }

    /**
     * Readies token r's heads of KV head g for attention: its g query heads and its key normed
     * (Qwen3) and rotated, the key and value written to the cache at the token's slot.
     */
    private void place(int layer, DecodeWeights.Layer w, Activations a, int r, int g,
            int perRow) {
        int headDim = config.headDim();
        int groupSize = config.groupSize();
        int queries = r * qkvWidth + g * groupSize * headDim;
        int key = r * qkvWidth + (config.numHeads() + g) * headDim;
        int value = key + config.numKvHeads() * headDim;
        int angles = r * (headDim / 2);
        if (w.queryNorm() != null) {
            float eps = (float) config.rmsNormEps();
            VectorMath.rmsNormHeads(a.qkv, queries, groupSize, headDim, w.queryNorm(), eps);
            VectorMath.rmsNormHeads(a.qkv, key, 1, headDim, w.keyNorm(), eps);
        }
        rotary.rotate(a.qkv, queries, groupSize, a.queryCos, a.querySin, angles);
        rotary.rotate(a.qkv, key, 1, a.keyCos, a.keySin, angles);
        cache.write(layer, r / perRow, g, cache.length() + r % perRow, a.qkv, key, value);
    }

    private void norm(float[] weight, Activations a, int rows) {
        int d = config.hiddenSize();
        float eps = (float) config.rmsNormEps();
        for (int r = 0; r < rows; r++) {
            VectorMath.rmsNorm(a.hidden, r * d, weight, eps, a.normed, r * d, d);
        }
    }

    /** A pass's buffers, one row per token fed. */
    private static final class Activations {
        final int rows;
        final float[] hidden; // (rows, D) the residual stream
        final float[] normed; // (rows, D)
        final float[] qkv; // (rows, qkvWidth)
        final float[] attended; // (rows, H·hD)
        final float[] projected; // (rows, D)
        final float[] gateUp; // (rows, 2M)
        final float[] activated; // (rows, M)
        final float[] keyCos; // (rows, hD/2) rotary tables, shared by the layers
        final float[] keySin;
        final float[] queryCos; // scaled by 1/sqrt(hD)
        final float[] querySin;

        Activations(LlamaConfig config, int qkvWidth, int rows) {
            this.rows = rows;
            int d = config.hiddenSize();
            int half = config.headDim() / 2;
            hidden = new float[size(rows, d)];
            normed = new float[size(rows, d)];
            qkv = new float[size(rows, qkvWidth)];
            attended = new float[size(rows, config.numHeads() * config.headDim())];
            projected = new float[size(rows, d)];
            gateUp = new float[size(rows, 2 * config.intermediateSize())];
            activated = new float[size(rows, config.intermediateSize())];
            keyCos = new float[size(rows, half)];
            keySin = new float[size(rows, half)];
            queryCos = new float[size(rows, half)];
            querySin = new float[size(rows, half)];
        }

        private static int size(int rows, int width) {
            long floats = (long) rows * width;
            if (floats > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(rows + " tokens in one pass need " + floats
                        + " floats for a (" + rows + ", " + width + ") buffer, more than an"
                        + " array holds: feed fewer at a time");
            }
            return (int) floats;
        }
    }
}
