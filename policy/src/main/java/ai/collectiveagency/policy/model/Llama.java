package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.decode.FewRowsProduct;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.engine.NativeFloats;
import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.Scalars;
import ai.collectiveagency.policy.checkpoint.ModelFolderException;
import ai.collectiveagency.policy.checkpoint.VerifiedFolder;
import ai.collectiveagency.policy.checkpoint.WeightsLoader;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Llama-family decoder-only transformer (Llama, Qwen2, Qwen3, Mistral): token embedding, blocks
 * of pre-norm grouped-query attention and SwiGLU MLP, final RMSNorm, output head. Qwen3 adds an
 * RMSNorm over head_dim to each head's query and key before RoPE.
 *
 * <pre>
 *   h = embed(tokens)                                   (B, T, D)
 *   for each block:  h = h + attention(rmsnorm(h))
 *                    h = h + mlp(rmsnorm(h))
 *   logits = head(rmsnorm(h))                           (B, T, V)
 * </pre>
 *
 * <p>Usage: {@code try (Llama m = Llama.load(dir); NDManager step = m.newStepManager()) {
 * NDArray logits = m.forward(step, tokens, mask, null, false); }}
 */
public final class Llama implements AutoCloseable {

    private static final float MASKED = -1e9f; // finite, so fully padded rows stay NaN-free
    private static final String CONFIG_FILE = "config.json";
    /**
     * Queries an engine attention block takes at most (see causalAttention). Blocks of 128 made
     * GRPO steps slower than one block, for the backward pass of each block's slices of q, k and
     * v writes a zero-filled copy of the whole array: measured on the ~40M bench model (Intel AMX
     * VM, 2 cores, LoRA r=8), 2.13-2.22 s a step of 8 x 256 tokens against 2.05-2.08 unblocked;
     * for 2 x 1,024 tokens blocks of 512 took 2.69-2.88 s (peak 2,680-2,738 MiB) against
     * 3.09-3.10 (2,708-2,820) with blocks of 128 and 2.73-2.80 (2,927-2,969) with none.
     */
    static final int QUERY_BLOCK = 512;

    /** Projections that read the same input, whose adapter contributions may share work. */
    private static final List<String> QKV = List.of("q_proj", "k_proj", "v_proj");
    private static final List<String> GATE_UP = List.of("gate_proj", "up_proj");

    private final LlamaConfig config;
    private final ModelParameters parameters;
    private final Rotary rotary;
    private final int queryBlock;
    private final JavaAttention javaAttention; // null when Java never attends for this model
    private final TrainingAttention trainingAttention; // null when training attends in the engine
    private final ProjectionProducts projections;
    private final FewRowsProduct fewRows; // null when the head is always the engine's
    private volatile LinearAdapter adapter;

    public Llama(LlamaConfig config, ModelParameters parameters) {
        this(config, parameters, QUERY_BLOCK);
    }

    /** With engine attention blocks of {@code queryBlock} queries (tests use small ones). */
    Llama(LlamaConfig config, ModelParameters parameters, int queryBlock) {
        if (queryBlock < 1) {
            throw new IllegalArgumentException("queryBlock must be at least 1, got " + queryBlock);
        }
        this.config = config;
        this.parameters = parameters;
        this.queryBlock = queryBlock;
        NDArray embed = parameters.get(ParameterNames.EMBED);
        this.rotary = new Rotary(config, parameters.manager(), embed.getDataType());
        AttentionBackend backend = AttentionBackend.configured(); // a bad value always fails
        this.projections = ProjectionProducts.configured(); // likewise
        RecordedAttention recorded = RecordedAttention.configured(); // likewise
        boolean vectorCpu = embed.getDataType() == DataType.FLOAT32
                && !embed.getDevice().isGpu()
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        boolean javaCanAttend = vectorCpu
                && JavaAttention.fits(config); // after the module check: it loads the API
        this.javaAttention = javaCanAttend && backend == AttentionBackend.JAVA
                ? new JavaAttention(config, ParallelRange.shared()) : null;
        this.trainingAttention = vectorCpu && recorded == RecordedAttention.JAVA
                ? new TrainingAttention(config, ParallelRange.shared()) : null;
        this.fewRows = vectorCpu ? new FewRowsProduct(ParallelRange.shared()) : null;
    }

    /** Loads {@code config.json} and the safetensors weights of a Hugging Face model folder. */
    public static Llama load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ModelFolderException(folder + ": not a folder");
        }
        Path configFile = folder.resolve(CONFIG_FILE);
        if (!Files.exists(configFile)) {
            throw new ModelFolderException(configFile + ": missing");
        }
        LlamaConfig config = LlamaConfig.read(configFile);
        NDManager manager = OfflineEngine.manager();
        return new Llama(config, WeightsLoader.load(folder, config, manager));
    }

    /**
     * Loads {@code config.json} and the weights of a verified folder, from the very bytes whose
     * digests its manifest lists (see {@link VerifiedFolder}).
     */
    public static Llama load(VerifiedFolder folder) {
        if (!folder.has(CONFIG_FILE)) {
            throw new ModelFolderException(folder.path().resolve(CONFIG_FILE) + ": missing");
        }
        LlamaConfig config = LlamaConfig.parse(folder.readAll(CONFIG_FILE),
                folder.path().resolve(CONFIG_FILE));
        return new Llama(config, WeightsLoader.load(folder, config, OfflineEngine.manager()));
    }

    public LlamaConfig config() {
        return config;
    }

    public ModelParameters parameters() {
        return parameters;
    }

    /** Element type of the weights (float32 unless a caller converted them). */
    public DataType dataType() {
        return parameters.get(ParameterNames.EMBED).getDataType();
    }

    /** How the engine computes this model's block projections. */
    ProjectionProducts projections() {
        return projections;
    }

    /** Installs (or with null removes) the adapter applied to projections, e.g. LoRA. */
    public void setAdapter(LinearAdapter adapter) {
        this.adapter = adapter;
    }

    public LinearAdapter adapter() {
        return adapter;
    }

    /** A manager for one step's temporaries; close it (or use an NDScope) after the step. */
    public NDManager newStepManager() {
        return parameters.manager().newSubManager();
    }

    /**
     * Runs the transformer.
     *
     * @param manager owner of the inputs and results
     * @param tokens (B, T) new token ids, left-padded
     * @param attention (B, S) 1 for real tokens and 0 for padding, over cached + new positions
     * @param cache keys and values of earlier positions (appended to), or null for none
     * @param lastOnly whether to compute logits of the last position only
     * @param useAdapter whether the installed adapter applies (false gives the reference model)
     * @return logits (B, T, V), or (B, 1, V) with {@code lastOnly}
     */
    public NDArray forward(NDManager manager, int[][] tokens, int[][] attention, KvCache cache,
            boolean lastOnly, boolean useAdapter) {
        return forward(manager, tokens, attention, cache, lastOnly ? tokens[0].length - 1 : 0,
                useAdapter);
    }

    /**
     * Runs the transformer, computing the output head only from position {@code firstLogit}
     * on: positions whose predictions nobody reads (a prompt, when only the completion is
     * scored) skip the most expensive matmul of a small model.
     *
     * @return logits (B, T - firstLogit, V)
     */
    public NDArray forward(NDManager manager, int[][] tokens, int[][] attention, KvCache cache,
            int firstLogit, boolean useAdapter) {
        return logits(hidden(manager, tokens, attention, cache, firstLogit, useAdapter));
    }

    /**
     * h (B, T, D) times the head's transpose. Up to {@link FewRowsProduct#maxRows()} rows where
     * autograd does not record (a prefill's last positions, an engine decode step) go to {@link
     * FewRowsProduct}, which reads the head once where the engine multiplies by its transposed
     * view, and writes the logits into the engine's memory. Its sums run in another order than
     * the engine's: the logits of more rows, or of a recorded pass, differ in their last bits.
     */
    private NDArray logits(NDArray h) {
        NDArray head = outputHead();
        Shape shape = h.getShape();
        int hidden = Math.toIntExact(shape.get(2));
        long rows = shape.size() / hidden;
        Optional<ByteBuffer> weights = fewRows != null && rows <= fewRows.maxRows()
                && h.getDataType() == DataType.FLOAT32 && !NoGradient.recording()
                ? NativeFloats.view(head) : Optional.empty();
        if (weights.isEmpty()) {
            return Linear.linear(h, head).singletonOrThrow(); // (B, T, V)
        }
        long vocab = head.getShape().get(0);
        float[] x = NativeFloats.copy(h, new float[(int) rows * hidden]);
        NDArray logits = h.getManager().create(new Shape(shape.get(0), shape.get(1), vocab),
                DataType.FLOAT32);
        fewRows.multiply(x, (int) rows, weights.get(), Math.toIntExact(vocab), hidden,
                NativeFloats.view(logits).orElseThrow());
        return logits;
    }

    /**
     * Runs the transformer up to the output head: the final-normed hidden states from position
     * {@code firstLogit} on, whose product with {@link #outputHead()} is the logits. Scoring
     * takes this route to apply the head a slice of rows at a time.
     *
     * @return hidden states (B, T - firstLogit, D)
     */
    public NDArray hidden(NDManager manager, int[][] tokens, int[][] attention, KvCache cache,
            int firstLogit, boolean useAdapter) {
        return hidden(manager, tokens, attention, cache, firstLogit, useAdapter, null);
    }

    /**
     * The final hidden states of a pass that autograd records, as {@link #hidden} gives them
     * with no cache, and where its attention ran in Java, the cuts in its graph (else null).
     *
     * @param states (B, T - firstLogit, D)
     */
    public record TrainingStates(NDArray states, LayerCuts cuts) {

        /**
         * Completes a backward that has reached {@link #states}: through the cuts, block by
         * block, where there are any. Without this call every weight below the last block's
         * attention would get no gradient.
         */
        public void finishBackward() {
            if (cuts != null) {
                cuts.backward();
            }
        }

        /** Who attended in this pass. */
        public RecordedAttention attention() {
            return cuts != null ? RecordedAttention.JAVA : RecordedAttention.ENGINE;
        }
    }

    /** Who attends in the training passes of {@link #trainingStates}. */
    public RecordedAttention recordedAttention() {
        return trainingAttention != null ? RecordedAttention.JAVA : RecordedAttention.ENGINE;
    }

    /** {@link #hidden} of a pass to back-propagate, its attention in Java where configured. */
    public TrainingStates trainingStates(NDManager manager, int[][] tokens, int[][] attention,
            int firstLogit, boolean useAdapter) {
        LayerCuts cuts = trainingAttention != null && NoGradient.recording()
                && attention[0].length == tokens[0].length
                ? new LayerCuts(trainingAttention, rotary, attention) : null;
        return new TrainingStates(
                hidden(manager, tokens, attention, null, firstLogit, useAdapter, cuts), cuts);
    }

    private NDArray hidden(NDManager manager, int[][] tokens, int[][] attention, KvCache cache,
            int firstLogit, boolean useAdapter, LayerCuts cuts) {
        int batch = tokens.length;
        int time = tokens[0].length;
        if (attention[0].length > config.maxPositions()) {
            throw new IllegalArgumentException("sequence of " + attention[0].length
                    + " positions exceeds the model's " + config.maxPositions());
        }
        if (firstLogit < 0 || firstLogit >= time) {
            throw new IllegalArgumentException("first logit position " + firstLogit
                    + " is outside [0, " + time + ")");
        }
        int past = attention[0].length - time;
        long cached = cache == null ? 0 : cache.length();
        if (past != cached) { // the mask would not line up with the keys
            throw new IllegalArgumentException("attention covers " + attention[0].length
                    + " positions: " + time + " new tokens after " + past + " earlier ones, but "
                    + cached + " are cached: pass the cache that holds the earlier positions");
        }
        int[][] positions = positions(attention, time);
        // Java attends where no backward can follow (autograd records nothing on this thread),
        // for a prompt's worth of queries: an engine decode step copies and re-tiles every cached
        // key per layer for one query, which measured no faster than the engine's attention
        boolean javaAttends = javaAttention != null && !NoGradient.recording()
                && dataType() == DataType.FLOAT32 && time >= JavaAttention.MIN_QUERIES;
        boolean engineAttends = !javaAttends && cuts == null;
        Context context = new Context(
                rotary.angles(manager, positions, 1f),
                rotary.angles(manager, positions, (float) (1 / Math.sqrt(config.headDim()))),
                engineAttends ? mask(manager, attention, past, time).toType(dataType(), false)
                        : null,
                javaAttends ? new JavaAttention.Buffers(attention) : null,
                cache,
                useAdapter ? adapter : null,
                cuts);

        NDArray ids = manager.create(flatten(tokens), new Shape(batch, time));
        NDArray h = Embedding.embedding(ids, parameters.get(ParameterNames.EMBED),
                SparseFormat.DENSE)
                .singletonOrThrow(); // (B, T, D)
        for (int layer = 0; layer < config.numLayers(); layer++) {
            NDArray next = block(layer, cuts == null ? h
                    : cuts.enter(h, layer > 0 || parameters.get(ParameterNames.EMBED)
                            .hasGradient()), context);
            if (layer > 0 && cuts == null) {
                h.close(); // the previous block's output, owned here (see block); cuts keep it
            }
            h = next;
        }
        NDScope.register(h); // the enclosing scope, if any, owns the last block's output
        if (firstLogit > 0) {
            h = h.get(new NDIndex(":, {}:, :", firstLogit));
        }
        return rmsNorm(h, parameters.get(ParameterNames.FINAL_NORM));
    }

    /** The output head's weight (V, D): the embedding when tied. */
    public NDArray outputHead() {
        return parameters.get(config.tiedEmbeddings() ? ParameterNames.EMBED
                : ParameterNames.LM_HEAD);
    }

    /**
     * What every block of one forward pass shares. The engine's additive mask is made only when
     * the engine attends; {@code attentionBuffers} only when {@link JavaAttention} does.
     */
    private record Context(Rotary.Angles keyAngles, Rotary.Angles queryAngles, NDArray mask,
            JavaAttention.Buffers attentionBuffers, KvCache cache, LinearAdapter adapter,
            LayerCuts cuts) {}

    /**
     * One block, in its own {@link NDScope}: its temporaries (projections, attention scores, MLP
     * activations) are freed when it returns, not when the caller's step ends, so a forward pass
     * holds one block's temporaries at a time instead of every block's (for a prefill of 16 x 250
     * tokens through 14 blocks, about 5 GB instead of 0.4 GB). The returned array belongs to no
     * scope: the caller closes it (or, in a pass with cuts, the cuts' backward does). Autograd
     * keeps what backward needs on the native side; the cuts keep their attention's ends.
     */
    private NDArray block(int layer, NDArray x, Context context) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            // Each residual is added into its sub-layer's last projection, in place
            // (ProjectionProducts#project), instead of into a third array.
            NDArray h = attention(layer,
                    rmsNorm(x, parameters.get(
                            ParameterNames.layer(layer, "input_layernorm.weight"))),
                    context, x);
            NDArray out = mlp(layer,
                    rmsNorm(h, parameters.get(
                            ParameterNames.layer(layer, "post_attention_layernorm.weight"))),
                    context, h);
            NDScope.unregister(out);
            return out;
        }
    }

    /**
     * Grouped-query causal self-attention with rotary positions (Ainslie et al. 2023), plus
     * {@code residual}.
     */
    private NDArray attention(int layer, NDArray x, Context context, NDArray residual) {
        long batch = x.getShape().get(0);
        long time = x.getShape().get(1);
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int headDim = config.headDim();
        NDArray[] qkv = project(layer, QKV, x, context, null);
        NDArray q = qkv[0].reshape(batch, time, heads, headDim);
        NDArray k = qkv[1].reshape(batch, time, kvHeads, headDim);
        NDArray v = qkv[2].reshape(batch, time, kvHeads, headDim);
        if (config.qkNorm()) { // Qwen3: RMSNorm over each head's hD, before RoPE
            q = rmsNorm(q, parameters.get(ParameterNames.queryNorm(layer)));
            k = rmsNorm(k, parameters.get(ParameterNames.keyNorm(layer)));
        }
        if (context.cuts() != null) { // a training pass: rotation, attention in Java
            return project(layer, "o_proj", context.cuts().attend(q, k, v,
                    context.queryAngles(), context.keyAngles()), context, residual);
        }
        q = rotary.apply(q, context.queryAngles()); // already scaled by 1/sqrt(hD)
        k = rotary.apply(k, context.keyAngles());
        NDArray ownKeys = k; // (B, T, KV, hD)
        NDArray ownValues = v;
        k = k.transpose(0, 2, 1, 3); // (B, KV, T, hD)
        v = v.transpose(0, 2, 1, 3);
        if (context.cache() != null) {
            NDArray[] kv = context.cache().append(layer, k, v); // (B, KV, S, hD)
            k = kv[0];
            v = kv[1];
        }
        if (context.attentionBuffers() != null) {
            NDArray out = k.getShape().get(2) == time // no cached positions
                    ? javaAttention.attendFirst(q, ownKeys, ownValues, context.attentionBuffers())
                    : javaAttention.attend(q, k, v, context.attentionBuffers());
            return project(layer, "o_proj", out, context, residual);
        }
        // Each KV head serves groupSize query heads: (B, KV, g, T, hD) against (B, KV, S, hD).
        q = q.reshape(batch, time, kvHeads, config.groupSize(), headDim).transpose(0, 2, 3, 1, 4);
        NDArray out = causalAttention(q, k, v, context.mask());
        out = out.transpose(0, 3, 1, 2, 4).reshape(batch, time, (long) heads * headDim);
        return project(layer, "o_proj", out, context, residual);
    }

    /**
     * softmax(q·kᵀ + mask)·v for queries (B, KV, g, T, hD) against keys and values (B, KV, S,
     * hD), the last T of the S positions being the queries' own. Long query runs go in blocks of
     * {@link #queryBlock}, each against the keys up to its last query only: the keys after it
     * are masked for all of its queries, so a training pass of 1,024 tokens (or a prefill the
     * engine attends) computes 3/4 of the square of scores instead of all of it, the same
     * softmax over what it may see, and keeps 3/4 of the probabilities for backward.
     */
    private NDArray causalAttention(NDArray q, NDArray k, NDArray v, NDArray mask) {
        long time = q.getShape().get(3);
        long past = k.getShape().get(2) - time;
        if (time <= queryBlock) {
            return attend(q, k, v, mask);
        }
        NDList blocks = new NDList();
        for (long start = 0; start < time; start += queryBlock) {
            long end = Math.min(time, start + queryBlock);
            long keys = past + end;
            blocks.add(attend(q.get(new NDIndex(":, :, :, {}:{}", start, end)),
                    k.get(new NDIndex(":, :, :{}", keys)),
                    v.get(new NDIndex(":, :, :{}", keys)),
                    mask.get(new NDIndex(":, :, :, {}:{}, :{}", start, end, keys))));
        }
        return NDArrays.concat(blocks, 3);
    }

    /**
     * One block of queries (B, KV, g, T, hD), the g query heads of a KV head stacked as one
     * matrix of g·T rows: each KV head's keys and values are multiplied as they are, where
     * broadcasting them to g heads copied them (and backward summed g gradients back), and the
     * products are g times taller. Measured on the ~40M bench model (Intel AMX VM, 2 cores), see
     * the README (Speed, "Grouped queries in one product").
     */
    private static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask) {
        Shape shape = q.getShape(); // (B, KV, g, T, hD)
        long batch = shape.get(0);
        long kvHeads = shape.get(1);
        long rows = shape.get(2) * shape.get(3);
        long keys = k.getShape().get(2);
        NDArray scores = q.reshape(batch, kvHeads, rows, shape.get(4))
                .matMul(k.transpose(0, 1, 3, 2)); // (B, KV, g·T, S)
        // The mask (B, 1, 1, T, S) broadcasts over a (B, KV, g, T, S) view of the scores. Not
        // in place: autograd would make the product's gradient a copy of a copy to write a
        // view's gradient into it.
        NDArray masked = scores.reshape(batch, kvHeads, shape.get(2), shape.get(3), keys)
                .add(mask).reshape(batch, kvHeads, rows, keys);
        return masked.softmax(-1).matMul(v).reshape(shape); // (B, KV, g, T, hD)
    }

    /** SwiGLU feed-forward (Shazeer 2020): down(silu(gate(x)) * up(x)), plus {@code residual}. */
    private NDArray mlp(int layer, NDArray x, Context context, NDArray residual) {
        NDArray[] gateUp = project(layer, GATE_UP, x, context, null);
        return project(layer, "down_proj", swiGlu(gateUp[0], gateUp[1]), context, residual);
    }

    /**
     * silu(gate)·up: where Java can view the arrays, in Java ({@link JavaSwiGlu}): where
     * autograd records with its derivatives, else written over the gate; elsewhere the engine's
     * chain.
     */
    static NDArray swiGlu(NDArray gate, NDArray up) {
        Optional<NDArray> activated = NoGradient.recording() ? JavaSwiGlu.activate(gate, up)
                : JavaSwiGlu.activateInPlace(gate, up);
        if (activated.isPresent()) {
            return activated.get();
        }
        // In place: saves an array in prefill; under autograd PyTorch copies the left operand.
        return gate.mul(gate.getNDArrayInternal().sigmoid()).muli(up);
    }

    private NDArray project(int layer, String module, NDArray x, Context context,
            NDArray residual) {
        return project(layer, List.of(module), x, context, residual)[0];
    }

    /**
     * Projections of one input, each with its adapter's contribution if it has one, and each
     * with {@code residual} (null for none) added.
     */
    private NDArray[] project(int layer, List<String> modules, NDArray x, Context context,
            NDArray residual) {
        List<String> prefixes = modules.stream()
                .map(module -> ParameterNames.projection(layer, module)).toList();
        NDArray[] deltas = context.adapter() != null
                ? context.adapter().applyAll(prefixes, x) : new NDArray[prefixes.size()];
        NDArray[] ys = new NDArray[prefixes.size()];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = projections.project(x, parameters.get(prefixes.get(i) + ".weight"),
                    parameters.find(prefixes.get(i) + ".bias"),
                    Stream.of(deltas[i], residual).filter(Objects::nonNull)
                            .toArray(NDArray[]::new));
        }
        return ys;
    }

    /**
     * RMSNorm (Zhang and Sennrich 2019): x / sqrt(mean(x^2) + eps) * weight; in Java where
     * autograd does not record and Java can view the arrays ({@link JavaRmsNorm}).
     */
    private NDArray rmsNorm(NDArray x, NDArray weight) {
        if (!NoGradient.recording()) {
            Optional<NDArray> normed = JavaRmsNorm.normalize(x, weight,
                    (float) config.rmsNormEps());
            if (normed.isPresent()) {
                return normed.get();
            }
        }
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.mul(Scalars.pow(variance.add(config.rmsNormEps()), -0.5)).mul(weight);
    }

    /** Position of each new token: how many real tokens precede it in its row. */
    private static int[][] positions(int[][] attention, int time) {
        int past = attention[0].length - time;
        int[][] positions = new int[attention.length][time];
        for (int b = 0; b < attention.length; b++) {
            int seen = 0;
            for (int s = 0; s < attention[b].length; s++) {
                if (s >= past) {
                    positions[b][s - past] = attention[b][s] == 0 ? 0 : seen;
                }
                seen += attention[b][s];
            }
        }
        return positions;
    }

    /** Additive mask (B, 1, 1, T, S): 0 where query t may see key s, a large negative elsewhere. */
    private static NDArray mask(NDManager manager, int[][] attention, int past, int time) {
        int batch = attention.length;
        int keys = attention[0].length;
        float[] mask = new float[batch * time * keys];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                for (int s = 0; s < keys; s++) {
                    boolean visible = s <= past + t && attention[b][s] != 0;
                    mask[(b * time + t) * keys + s] = visible ? 0f : MASKED;
                }
            }
        }
        return manager.create(mask, new Shape(batch, 1, 1, time, keys));
    }

    private static long[] flatten(int[][] rows) {
        long[] flat = new long[rows.length * rows[0].length];
        int k = 0;
        for (int[] row : rows) {
            for (int id : row) {
                flat[k++] = id;
            }
        }
        return flat;
    }

    @Override
    public void close() {
        parameters.close();
    }
}
