package ai.collectiveagency.policy.decode;

import ai.collectiveagency.policy.model.LlamaConfig;

/**
 * One decode step of a Llama for a batch of sequences, in Java over a {@link JavaKvCache}: the
 * same computation as {@code Llama.forward} for one new token per row.
 *
 * <pre>
 *   h = embed(tokens)                                        (B, D)
 *   for each block:  q,k,v = rmsnorm(h)·[Wq;Wk;Wv]ᵀ (+ b)   (B, H·hD + 2·KV·hD)
 *                    (Qwen3) q,k = rmsnorm of each head        over hD
 *                    rotate q (scaled 1/sqrt(hD)) and k at each row's position
 *                    append k, v to the cache; h += attention(q)·Woᵀ
 *                    g,u = rmsnorm(h)·[Wg;Wu]ᵀ;  h += (silu(g)·u)·Wdᵀ
 *   logits = rmsnorm(h)·headᵀ                                (B, V)
 * </pre>
 *
 * <p>Usage: {@code JavaDecoder d = new JavaDecoder(weights, cache, matmul);
 * float[] logits = d.step(lastTokens); d.keepRows(survivors);}
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
    private final float[] hidden; // (B, D) the residual stream
    private final float[] normed; // (B, D)
    private final float[] qkv; // (B, qkvWidth)
    private final float[] attended; // (B, H·hD)
    private final float[] projected; // (B, D)
    private final float[] gateUp; // (B, 2M)
    private final float[] activated; // (B, M)
    private final float[] logits; // (B, V)
    private final float[] keyCos; // (B, hD/2) this step's rotary tables, shared by the layers
    private final float[] keySin;
    private final float[] queryCos; // scaled by 1/sqrt(hD)
    private final float[] querySin;

    /** A decoder continuing the sequences in {@code cache} (its batch sizes the buffers). */
    public JavaDecoder(DecodeWeights weights, JavaKvCache cache, PanelMatmul matmul) {
        this.weights = weights;
        this.config = weights.config();
        this.cache = cache;
        this.matmul = matmul;
        this.rotary = new DecodeRotary(config);
        this.attention = new DecodeAttention(config, matmul.range());
        int batch = cache.batch();
        int d = config.hiddenSize();
        int heads = config.numHeads() * config.headDim();
        this.qkvWidth = heads + 2 * config.numKvHeads() * config.headDim();
        hidden = new float[batch * d];
        normed = new float[batch * d];
        qkv = new float[batch * qkvWidth];
        attended = new float[batch * heads];
        projected = new float[batch * d];
        gateUp = new float[batch * 2 * config.intermediateSize()];
        activated = new float[batch * config.intermediateSize()];
        logits = new float[batch * config.vocabSize()];
        int half = config.headDim() / 2;
        keyCos = new float[batch * half];
        keySin = new float[batch * half];
        queryCos = new float[batch * half];
        querySin = new float[batch * half];
    }

    public JavaKvCache cache() {
        return cache;
    }

    /**
     * Feeds one token per row and returns the next-token logits, (B, V) row-major; the array is
     * reused by the next step.
     */
    public float[] step(int[] tokens) {
        int batch = cache.batch();
        if (tokens.length != batch) {
            throw new IllegalArgumentException(tokens.length + " tokens for " + batch + " rows");
        }
        if (!cache.hasRoom()) { // before any layer writes a slot past the row's own
            throw new IllegalStateException("KV cache full (" + cache.capacity() + " slots)");
        }
        int d = config.hiddenSize();
        int half = config.headDim() / 2;
        float scale = (float) (1 / Math.sqrt(config.headDim()));
        for (int b = 0; b < batch; b++) {
            weights.embed(tokens[b], hidden, b * d);
            int position = cache.nextPosition(b);
            rotary.angles(position, 1f, keyCos, keySin, b * half);
            rotary.angles(position, scale, queryCos, querySin, b * half);
        }
        for (int layer = 0; layer < config.numLayers(); layer++) {
            block(layer, weights.layers()[layer], batch);
        }
        cache.advance();
        norm(weights.finalNorm(), batch);
        matmul.multiply(normed, batch, weights.head(), null, logits);
        return logits;
    }

    /** Keeps only the rows in {@code rows} (ascending), e.g. when sequences finish. */
    public void keepRows(int[] rows) {
        cache.keepRows(rows);
    }

    private void block(int layer, DecodeWeights.Layer w, int batch) {
        int d = config.hiddenSize();
        int headDim = config.headDim();
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        float eps = (float) config.rmsNormEps();
        norm(w.inputNorm(), batch);
        matmul.multiply(normed, batch, w.qkv(), w.qkvBias(), qkv);
        int half = headDim / 2;
        for (int b = 0; b < batch; b++) {
            int row = b * qkvWidth;
            if (w.queryNorm() != null) {
                VectorMath.rmsNormHeads(qkv, row, heads, headDim, w.queryNorm(), eps);
                VectorMath.rmsNormHeads(qkv, row + heads * headDim, kvHeads, headDim,
                        w.keyNorm(), eps);
            }
            rotary.rotate(qkv, row, heads, queryCos, querySin, b * half);
            rotary.rotate(qkv, row + heads * headDim, kvHeads, keyCos, keySin, b * half);
            for (int g = 0; g < kvHeads; g++) {
                cache.write(layer, b, g, qkv, row + (heads + g) * headDim,
                        row + (heads + kvHeads + g) * headDim);
            }
        }
        attention.attend(cache, layer, qkv, qkvWidth, attended);
        matmul.multiply(attended, batch, w.output(), null, projected);
        VectorMath.add(projected, 0, hidden, 0, batch * d);

        int m = config.intermediateSize();
        norm(w.postNorm(), batch);
        matmul.multiply(normed, batch, w.gateUp(), null, gateUp);
        matmul.range().run(batch, SILU_ROWS_PER_PART, (first, end) -> {
            for (int b = first; b < end; b++) {
                VectorMath.siluTimes(gateUp, b * 2 * m, gateUp, b * 2 * m + m, activated, b * m,
                        m);
            }
        });
        matmul.multiply(activated, batch, w.down(), null, projected);
        VectorMath.add(projected, 0, hidden, 0, batch * d);
    }

    private void norm(float[] weight, int batch) {
        int d = config.hiddenSize();
        float eps = (float) config.rmsNormEps();
        for (int b = 0; b < batch; b++) {
            VectorMath.rmsNorm(hidden, b * d, weight, eps, normed, b * d, d);
        }
    }
}
