package ai.collectiveagency.policy.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face checkpoint keys of a Llama-family model and the shape each must have.
 *
 * <p>Parameters keep these names everywhere (in memory, in checkpoints, in PEFT adapters) so
 * that what this library writes, Hugging Face and vLLM read.
 */
public final class ParameterNames {

    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    /** The linear projections of a block, as PEFT's {@code target_modules} names them. */
    public static final List<String> PROJECTIONS =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    private ParameterNames() {}

    /** {@code model.layers.<layer>.<suffix>}. */
    public static String layer(int layer, String suffix) {
        return "model.layers." + layer + "." + suffix;
    }

    /** The checkpoint key prefix of a projection, e.g. {@code model.layers.0.self_attn.q_proj}. */
    public static String projection(int layer, String module) {
        String block = switch (module) {
            case "q_proj", "k_proj", "v_proj", "o_proj" -> "self_attn.";
            case "gate_proj", "up_proj", "down_proj" -> "mlp.";
            default -> throw new IllegalArgumentException("unknown projection '" + module
                    + "' (known: " + String.join(", ", PROJECTIONS) + ")");
        };
        return layer(layer, block + module);
    }

    /** {@code model.layers.<layer>.self_attn.q_norm.weight}: Qwen3's per-head query RMSNorm. */
    public static String queryNorm(int layer) {
        return layer(layer, "self_attn.q_norm.weight");
    }

    /** {@code model.layers.<layer>.self_attn.k_norm.weight}: Qwen3's per-head key RMSNorm. */
    public static String keyNorm(int layer) {
        return layer(layer, "self_attn.k_norm.weight");
    }

    /** {@code [out, in]} of a projection's weight. */
    public static long[] projectionShape(LlamaConfig c, String module) {
        long d = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long mlp = c.intermediateSize();
        return switch (module) {
            case "q_proj" -> new long[] {q, d};
            case "k_proj", "v_proj" -> new long[] {kv, d};
            case "o_proj" -> new long[] {d, q};
            case "gate_proj", "up_proj" -> new long[] {mlp, d};
            case "down_proj" -> new long[] {d, mlp};
            default -> throw new IllegalArgumentException("unknown projection '" + module + "'");
        };
    }

    /** Every parameter the model needs, in checkpoint order, with its expected shape. */
    public static Map<String, long[]> expectedShapes(LlamaConfig c) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        long d = c.hiddenSize();
        shapes.put(EMBED, new long[] {c.vocabSize(), d});
        for (int i = 0; i < c.numLayers(); i++) {
            shapes.put(layer(i, "input_layernorm.weight"), new long[] {d});
            for (String module : PROJECTIONS) {
                long[] shape = projectionShape(c, module);
                shapes.put(projection(i, module) + ".weight", shape);
                boolean biased = module.equals("q_proj") || module.equals("k_proj")
                        || module.equals("v_proj");
                if (biased && c.qkvBias()) {
                    shapes.put(projection(i, module) + ".bias", new long[] {shape[0]});
                }
            }
            if (c.qkNorm()) {
                shapes.put(queryNorm(i), new long[] {c.headDim()});
                shapes.put(keyNorm(i), new long[] {c.headDim()});
            }
            shapes.put(layer(i, "post_attention_layernorm.weight"), new long[] {d});
        }
        shapes.put(FINAL_NORM, new long[] {d});
        if (!c.tiedEmbeddings()) {
            shapes.put(LM_HEAD, new long[] {c.vocabSize(), d});
        }
        return shapes;
    }
}
