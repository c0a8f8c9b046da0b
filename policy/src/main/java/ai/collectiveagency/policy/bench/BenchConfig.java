package ai.collectiveagency.policy.bench;

import ai.collectiveagency.policy.model.LlamaConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@code ./pipeline bench policy} measures; every field can be overridden by a JSON file
 * with snake_case keys (e.g. {@code {"layers": 4, "decode_batches": [1, 8]}}).
 *
 * @param vocab vocabulary size of the random model
 * @param dim model width
 * @param layers transformer blocks
 * @param heads query heads
 * @param kvHeads key/value heads
 * @param hidden MLP width
 * @param prefillBatch sequences in the prefill measurement
 * @param prefillLength tokens per prefill sequence
 * @param decodeBatches batch sizes of the decode measurements (empty skips decode)
 * @param decodePrompt prompt tokens before decoding
 * @param decodeTokens new tokens per decode measurement
 * @param trainBatch sequences per training step
 * @param trainLength tokens per training sequence
 * @param loraRank rank of the LoRA training measurement
 * @param trainSteps timed training steps (after two warm-ups), reported by their median; 0
 *     skips the training figures
 * @param matmulSize n of the n x n x n products (sgemm and convolution) that measure the FLOP
 *     bound
 */
public record BenchConfig(int vocab, int dim, int layers, int heads, int kvHeads, int hidden,
        int prefillBatch, int prefillLength, int[] decodeBatches, int decodePrompt,
        int decodeTokens, int trainBatch, int trainLength, int loraRank, int trainSteps,
        int matmulSize) {

    /** The reference: a ~40M-parameter Llama with a tied head. */
    public static BenchConfig defaults() {
        return new BenchConfig(32000, 512, 8, 8, 4, 1376, 8, 256, new int[] {1, 16}, 16, 128, 8,
                256, 8, 5, 2048);
    }

    /** The random model's shape: a Llama with a tied head and 4,096 positions. */
    public LlamaConfig modelConfig() {
        return new LlamaConfig("llama", dim, hidden, layers, heads, kvHeads, dim / heads, vocab,
                4096, 1e-5, 10000, true, false, null);
    }

    /** The defaults overridden by the fields of a JSON file. */
    public static BenchConfig read(Path file) {
        ObjectMapper mapper = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        try {
            ObjectNode merged = mapper.valueToTree(defaults());
            JsonNode overrides = mapper.readTree(file.toFile());
            if (!overrides.isObject()) {
                throw new IllegalArgumentException(file + ": expected a JSON object");
            }
            overrides.fieldNames().forEachRemaining(key -> {
                if (!merged.has(key)) {
                    throw new IllegalArgumentException(file + ": unknown key '" + key
                            + "' (known: " + known(merged) + ")");
                }
            });
            merged.setAll((ObjectNode) overrides);
            return mapper.treeToValue(merged, BenchConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static String known(ObjectNode fields) {
        StringBuilder names = new StringBuilder();
        fields.fieldNames().forEachRemaining(n -> names.append(names.length() > 0 ? ", " : "")
                .append(n));
        return names.toString();
    }
}
