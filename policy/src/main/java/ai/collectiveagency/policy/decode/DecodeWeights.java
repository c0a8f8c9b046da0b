package ai.collectiveagency.policy.decode;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.model.LinearAdapter;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.ParameterNames;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * A snapshot of a {@link Llama}'s weights as float32 Java arrays, [out, in] row-major as in the
 * checkpoint, with the installed adapter (e.g. LoRA) merged in: W' = W + Δ.
 *
 * <p>The q/k/v projections of a block are stacked into one (H·hD + 2·KV·hD, D) matrix and gate/up
 * into one (2·M, D) matrix, so a decode step makes four matrix products per block. Matrices are
 * held as {@link PackedMatrix} panels; a tied embedding is read back from the packed head.
 *
 * <p>A snapshot does not follow later changes to the model: build a new one after training steps
 * or after installing another adapter. Building copies every weight once (tens of milliseconds
 * for a 40M-parameter model).
 *
 * @param config the model's shape
 * @param layers the blocks' weights
 * @param embed token embedding (V, D) row-major, or null when tied (rows come from the head)
 * @param finalNorm the last RMSNorm's weight (D)
 * @param head output head (V, D)
 */
public record DecodeWeights(LlamaConfig config, Layer[] layers, float[] embed, float[] finalNorm,
        PackedMatrix head) {

    /**
     * One block's weights.
     *
     * @param inputNorm RMSNorm before attention (D)
     * @param qkv q, k and v projections stacked, (H·hD + 2·KV·hD, D)
     * @param qkvBias their biases (H·hD + 2·KV·hD), or null when the model has none
     * @param queryNorm RMSNorm of each query head before RoPE (hD), or null when the model has
     *     none (Qwen3 has one)
     * @param keyNorm RMSNorm of each key head before RoPE (hD), or null with {@code queryNorm}
     * @param output o_proj (D, H·hD)
     * @param postNorm RMSNorm before the MLP (D)
     * @param gateUp gate and up projections stacked, (2·M, D)
     * @param down down projection (D, M)
     */
    public record Layer(float[] inputNorm, PackedMatrix qkv, float[] qkvBias,
            float[] queryNorm, float[] keyNorm, PackedMatrix output, float[] postNorm, PackedMatrix gateUp, PackedMatrix down) {}

    /** Copies the embedding of {@code token} (D floats) into {@code out} at {@code offset}. */
    public void embed(int token, float[] out, int offset) {
        int d = config.hiddenSize();
        if (embed == null) {
            head.row(token, out, offset);
        } else {
            System.arraycopy(embed, token * d, out, offset, d);
        }
    }

    /**
     * Copies {@code model}'s weights, merging its installed adapter. The adapter is treated as
     * linear in its input: its update is read off by applying it to the identity matrix.
     */
    public static DecodeWeights of(Llama model) {
        LlamaConfig c = model.config();
        try (NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager()) {
            Reader reader = new Reader(model, manager);
            Layer[] layers = new Layer[c.numLayers()];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = reader.layer(i);
            }
            float[] embed = reader.plain(ParameterNames.EMBED);
            float[] head = c.tiedEmbeddings() ? embed : reader.plain(ParameterNames.LM_HEAD);
            return new DecodeWeights(c, layers, c.tiedEmbeddings() ? null : embed,
                    reader.plain(ParameterNames.FINAL_NORM),
                    PackedMatrix.pack(head, c.vocabSize(), c.hiddenSize()));
        }
    }

    /** Reads and merges one model's arrays. */
    private record Reader(Llama model, NDManager manager) {

        Layer layer(int i) {
            LlamaConfig c = model.config();
            int d = c.hiddenSize();
            int attention = c.numHeads() * c.headDim();
            int qkvRows = attention + 2 * c.numKvHeads() * c.headDim();
            int m = c.intermediateSize();
            boolean bias = c.qkvBias();
            return new Layer(
                    plain(ParameterNames.layer(i, "input_layernorm.weight")),
                    PackedMatrix.pack(concat(projection(i, "q_proj"), projection(i, "k_proj"),
                            projection(i, "v_proj")), qkvRows, d),
                    bias ? concat(bias(i, "q_proj"), bias(i, "k_proj"), bias(i, "v_proj")) : null,
                    c.qkNorm() ? plain(ParameterNames.queryNorm(i)) : null,
                    c.qkNorm() ? plain(ParameterNames.keyNorm(i)) : null,
                    PackedMatrix.pack(projection(i, "o_proj"), d, attention),
                    plain(ParameterNames.layer(i, "post_attention_layernorm.weight")),
                    PackedMatrix.pack(concat(projection(i, "gate_proj"),
                            projection(i, "up_proj")), 2 * m, d),
                    PackedMatrix.pack(projection(i, "down_proj"), d, m));
        }

        float[] plain(String name) {
            return floats(model.parameters().get(name));
        }

        float[] bias(int layer, String module) {
            return plain(ParameterNames.projection(layer, module) + ".bias");
        }

        /** W + Δ (out, in), Δ read as adapter(I)ᵀ. */
        float[] projection(int layer, String module) {
            String prefix = ParameterNames.projection(layer, module);
            NDArray weight = model.parameters().get(prefix + ".weight");
            float[] merged = floats(weight);
            LinearAdapter adapter = model.adapter();
            if (adapter == null) {
                return merged;
            }
            int out = (int) weight.getShape().get(0);
            int in = (int) weight.getShape().get(1);
            try (NDManager scope = manager.newSubManager()) {
                NDArray delta = adapter.apply(prefix, scope.eye(in).toType(weight.getDataType(),
                        false)); // (in, out): row i is Δ·e_i
                if (delta != null) {
                    float[] d = floats(delta);
                    for (int o = 0; o < out; o++) {
                        for (int k = 0; k < in; k++) {
                            merged[o * in + k] += d[k * out + o];
                        }
                    }
                }
            }
            return merged;
        }

        private static float[] floats(NDArray array) {
            if (array.getDataType() == DataType.FLOAT32) {
                return array.toFloatArray();
            }
            try (NDArray widened = array.toType(DataType.FLOAT32, false)) {
                return widened.toFloatArray();
            }
        }

        private static float[] concat(float[]... parts) {
            int length = 0;
            for (float[] p : parts) {
                length += p.length;
            }
            float[] out = new float[length];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, out, at, p.length);
                at += p.length;
            }
            return out;
        }
    }
}
