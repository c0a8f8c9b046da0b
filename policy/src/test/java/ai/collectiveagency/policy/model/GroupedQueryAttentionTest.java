package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The engine's grouped-query attention, where the g query heads of a KV head are stacked as one
 * matrix, against the same model with every KV head repeated g times (g = 1: each query head its
 * own keys and values, no grouping). Their logits must agree: in float64, so that a difference is
 * a query head reading the wrong keys, or a wrong mask for some head, and not rounding. Unblocked
 * and in query blocks of 16 (40 tokens: 16 + 16 + 8), row 0 left-padded.
 */
class GroupedQueryAttentionTest {

    private static final int HEADS = 4;
    private static final int HEAD_DIM = 8;
    private static final int LENGTH = 40;
    private static final int PADDING = 9;

    private static NDManager root;

    @BeforeAll
    static void engine() {
        root = OfflineEngine.manager().newSubManager();
    }

    @AfterAll
    static void close() {
        root.close();
    }

    @ParameterizedTest(name = "{0} KV heads for 4 query heads, query blocks of {1}")
    @CsvSource({"2, 512", "1, 512", "2, 16", "1, 16"})
    void groupedHeadsGiveTheLogitsOfEveryHeadWithItsOwnCopy(int kvHeads, int queryBlock) {
        LlamaConfig grouped = config(kvHeads);
        LlamaConfig ungrouped = config(HEADS);
        int group = HEADS / kvHeads;
        try (NDManager m = root.newSubManager()) {
            ModelParameters float32 = RandomWeights.parameters(grouped, 7, m.newSubManager());
            Map<String, NDArray> groupedWeights = new LinkedHashMap<>();
            Map<String, NDArray> repeatedWeights = new LinkedHashMap<>();
            float32.asMap().forEach((name, weight) -> {
                NDArray doubles = weight.toType(DataType.FLOAT64, true);
                groupedWeights.put(name, doubles);
                boolean keysOrValues = name.endsWith("k_proj.weight")
                        || name.endsWith("v_proj.weight");
                repeatedWeights.put(name, keysOrValues ? repeatHeads(doubles, group) : doubles);
            });
            Llama groupedModel = new Llama(grouped,
                    new ModelParameters(m.newSubManager(), groupedWeights), queryBlock);
            Llama repeatedModel = new Llama(ungrouped,
                    new ModelParameters(m.newSubManager(), repeatedWeights), queryBlock);
            int[][] tokens = new int[2][LENGTH];
            int[][] attention = new int[2][LENGTH];
            SplittableRandom random = new SplittableRandom(5);
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < LENGTH; t++) {
                    boolean padding = b == 0 && t < PADDING;
                    tokens[b][t] = padding ? 0 : random.nextInt(grouped.vocabSize());
                    attention[b][t] = padding ? 0 : 1;
                }
            }
            double[] actual = groupedModel.forward(m, tokens, attention, null, false, false)
                    .toDoubleArray();
            double[] expected = repeatedModel.forward(m, tokens, attention, null, false, false)
                    .toDoubleArray();
            int vocab = grouped.vocabSize();
            for (int b = 0; b < 2; b++) {
                for (int t = b == 0 ? PADDING : 0; t < LENGTH; t++) {
                    for (int v = 0; v < vocab; v++) {
                        int i = (b * LENGTH + t) * vocab + v;
                        assertThat(actual[i]).as("logit of row %d, position %d, token %d", b, t, v)
                                .isCloseTo(expected[i], within(1e-10));
                    }
                }
            }
        }
    }

    private static LlamaConfig config(int kvHeads) {
        return new LlamaConfig("llama", HEADS * HEAD_DIM, 48, 2, HEADS, kvHeads, HEAD_DIM, 50,
                512, 1e-5, 10000, false, false, null);
    }

    /** A (KV·hD, D) projection with each KV head's rows repeated {@code group} times. */
    private static NDArray repeatHeads(NDArray weight, int group) {
        long columns = weight.getShape().get(1);
        long kvHeads = weight.getShape().get(0) / HEAD_DIM;
        return weight.reshape(kvHeads, HEAD_DIM * columns).repeat(0, group)
                .reshape(kvHeads * group * HEAD_DIM, columns);
    }
}
