package ai.collectiveagency.policy.decode.blocks;

import ai.collectiveagency.policy.decode.DecodeRotary;
import ai.collectiveagency.policy.decode.DecodeWeights;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.decode.VectorMath;
import ai.collectiveagency.policy.model.LlamaConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The decode step of Asynchronous Reasoning (arXiv 2512.10931) over a KV cache of
 * {@link KvBlock}s: several streams (a private thinker, a public writer) decode concurrently from
 * one model, each seeing its own {@link BlockView} of shared blocks. Each row of a step appends
 * one token to a block of its view and gets next-token logits; the rows go through one batched
 * step, so every weight matrix is read once for all streams ({@link PanelMatmul}).
 *
 * <pre>
 *   per row: token, view, block      the token goes to the next slot j of block, at view
 *                                    position P = offset(block in view) + j
 *   h = embed(tokens)                                        (B, D)
 *   for each layer:  q,k,v = rmsnorm(h)·[Wq;Wk;Wv]ᵀ (+ b)   (B, H·hD + 2·KV·hD)
 *                    (Qwen3) q,k = rmsnorm of each head
 *                    k rotated by j (in-block position) and stored with v in slot j of block
 *                    h += BlockAttention(q at P over the row's view)·Woᵀ
 *                    h += mlp(rmsnorm(h))
 *   logits = rmsnorm(h)·headᵀ                                (B, V)
 * </pre>
 *
 * <p><b>Visibility.</b> All appends of a step happen before any attention, and offsets are taken
 * after them: a row sees every slot of its view's blocks, including the tokens other rows append
 * to them in the same step (the writer sees the thinker's new token and vice versa), except the
 * slots later rows of the step append to its own block. Rows appending to one block are thus
 * causal, which makes {@link #prefill} of a block one batched step.
 *
 * <p><b>The paper's approximation.</b> Keys and values are computed once, in the context their
 * token saw when it was appended, and are not recomputed when that context changes: a block
 * that grows shifts later blocks (their keys stay exact through the relative rotation), and a
 * token appended while another stream's block was shorter keeps the keys and values of its
 * hidden states in that shorter context. In a one-layer model keys and values depend only on the
 * token and its rotation, so the approximation is exact; with more layers, earlier positions'
 * hidden states saw a different context than a plain decoder over the concatenated view would
 * give them. A view whose blocks were each filled while that view's earlier blocks were complete
 * (prefill [A], then [A, B], then [A, B, C]) is exact at any depth.
 *
 * <p>Usage: {@code float[] logits = decoder.step(List.of(new BlockDecoder.Row(thinkerView,
 * thinker, t), new BlockDecoder.Row(writerView, writer, w)));}
 */
public final class BlockDecoder {

    /**
     * One stream's token in a step.
     *
     * @param view what the stream sees
     * @param block the block of {@code view} the token is appended to
     * @param token the token id
     */
    public record Row(BlockView view, KvBlock block, int token) {

        public Row {
            if (!view.contains(block)) {
                throw new IllegalArgumentException(block + " is not in the view "
                        + view.blocks());
            }
        }
    }

    private final DecodeWeights weights;
    private final LlamaConfig config;
    private final PanelMatmul matmul;
    private final DecodeRotary rotary;
    private final BlockAttention attention;
    private final int qkvWidth;

    public BlockDecoder(DecodeWeights weights, PanelMatmul matmul) {
        this.weights = weights;
        this.config = weights.config();
        this.matmul = matmul;
        this.rotary = new DecodeRotary(config);
        this.attention = new BlockAttention(config);
        this.qkvWidth = (config.numHeads() + 2 * config.numKvHeads()) * config.headDim();
    }

    public LlamaConfig config() {
        return config;
    }

    /** A new empty block for this decoder's model. */
    public KvBlock newBlock(String name) {
        return new KvBlock(name, config);
    }

    /**
     * Appends each row's token to its block and returns every row's next-token logits, (B, V)
     * row-major in a new array.
     */
    public float[] step(List<Row> rows) {
        for (Row row : rows) {
            if (row.token() < 0 || row.token() >= config.vocabSize()) {
                throw new IllegalArgumentException("token " + row.token()
                        + " outside the vocabulary of " + config.vocabSize());
            }
        }
        Step step = new Step(rows);
        for (int layer = 0; layer < config.numLayers(); layer++) {
            step.layer(layer, weights.layers()[layer]);
        }
        return step.logits();
    }

    /**
     * Appends {@code tokens} to {@code block} in one batched step under {@code view}, each token
     * seeing the ones before it, and returns the last token's logits (V). Only this block is
     * computed: the rest of the view is read from the cache.
     */
    public float[] prefill(BlockView view, KvBlock block, int[] tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("nothing to prefill into " + block);
        }
        List<Row> rows = new ArrayList<>();
        for (int token : tokens) {
            rows.add(new Row(view, block, token));
        }
        float[] all = step(rows);
        int vocab = config.vocabSize();
        float[] last = new float[vocab];
        System.arraycopy(all, (tokens.length - 1) * vocab, last, 0, vocab);
        return last;
    }

    /** The buffers and per-row positions of one step. */
    private final class Step {

        private final List<Row> rows;
        private final int batch;
        private final int[] slots; // each row's position inside its block
        private final int[] positions; // each row's position in its view
        private final float[] keyCos; // (B, hD/2) rotation of the new keys by their slots
        private final float[] keySin;
        private final float[] hidden; // (B, D) the residual stream
        private final float[] normed; // (B, D)
        private final float[] qkv; // (B, qkvWidth)
        private final float[] attended; // (B, H·hD)
        private final float[] projected; // (B, D)
        private final float[] gateUp; // (B, 2M), reused by every layer
        private final float[] activated; // (B, M)

        Step(List<Row> rows) {
            this.rows = List.copyOf(rows);
            this.batch = rows.size();
            int d = config.hiddenSize();
            int half = config.headDim() / 2;
            slots = new int[batch];
            positions = new int[batch];
            keyCos = new float[batch * half];
            keySin = new float[batch * half];
            hidden = new float[batch * d];
            normed = new float[batch * d];
            qkv = new float[batch * qkvWidth];
            attended = new float[batch * config.numHeads() * config.headDim()];
            projected = new float[batch * d];
            gateUp = new float[batch * 2 * config.intermediateSize()];
            activated = new float[batch * config.intermediateSize()];
            for (int b = 0; b < batch; b++) {
                Row row = rows.get(b);
                weights.embed(row.token(), hidden, b * d);
                slots[b] = row.block().append(row.token());
            }
            // offsets after every append: a row sees the tokens other rows add in this step
            for (int b = 0; b < batch; b++) {
                Row row = rows.get(b);
                positions[b] = row.view().offset(row.block()) + slots[b];
                rotary.angles(slots[b], 1f, keyCos, keySin, b * half);
            }
        }

        void layer(int layer, DecodeWeights.Layer w) {
            int d = config.hiddenSize();
            norm(w.inputNorm());
            matmul.multiply(normed, batch, w.qkv(), w.qkvBias(), qkv);
            store(layer, w);
            int width = config.numHeads() * config.headDim();
            matmul.range().run(batch, 1, (start, end) -> {
                for (int b = start; b < end; b++) {
                    Row row = rows.get(b);
                    attention.attend(row.view(), layer, qkv, b * qkvWidth, positions[b],
                            row.block(), slots[b], attended, b * width);
                }
            });
            matmul.multiply(attended, batch, w.output(), null, projected);
            VectorMath.add(projected, 0, hidden, 0, batch * d);

            int m = config.intermediateSize();
            norm(w.postNorm());
            matmul.multiply(normed, batch, w.gateUp(), null, gateUp);
            for (int b = 0; b < batch; b++) {
                VectorMath.siluTimes(gateUp, b * 2 * m, gateUp, b * 2 * m + m, activated, b * m,
                        m);
            }
            matmul.multiply(activated, batch, w.down(), null, projected);
            VectorMath.add(projected, 0, hidden, 0, batch * d);
        }

        /** q/k norms, then each row's key rotated by its slot and stored with its value. */
        private void store(int layer, DecodeWeights.Layer w) {
            int headDim = config.headDim();
            int heads = config.numHeads();
            int kvHeads = config.numKvHeads();
            int half = headDim / 2;
            float eps = (float) config.rmsNormEps();
            for (int b = 0; b < batch; b++) {
                int row = b * qkvWidth;
                if (w.queryNorm() != null) {
                    VectorMath.rmsNormHeads(qkv, row, heads, headDim, w.queryNorm(), eps);
                    VectorMath.rmsNormHeads(qkv, row + heads * headDim, kvHeads, headDim,
                            w.keyNorm(), eps);
                }
                rotary.rotate(qkv, row + heads * headDim, kvHeads, keyCos, keySin, b * half);
                for (int g = 0; g < kvHeads; g++) {
                    rows.get(b).block().write(layer, slots[b], g, qkv,
                            row + (heads + g) * headDim, row + (heads + kvHeads + g) * headDim);
                }
            }
        }

        float[] logits() {
            norm(weights.finalNorm());
            float[] logits = new float[batch * config.vocabSize()];
            matmul.multiply(normed, batch, weights.head(), null, logits);
            return logits;
        }

        private void norm(float[] weight) {
            int d = config.hiddenSize();
            float eps = (float) config.rmsNormEps();
            for (int b = 0; b < batch; b++) {
                VectorMath.rmsNorm(hidden, b * d, weight, eps, normed, b * d, d);
            }
        }
    }
}
