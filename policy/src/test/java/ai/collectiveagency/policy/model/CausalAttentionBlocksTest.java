package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A pass over more queries than one attention block computes each block against the keys up to
 * its last query only. Its logits and gradients must equal those of the same tokens fed one at a
 * time through the key/value cache, where every step is a single query against all the keys, so
 * no block boundary exists. In float64, so that any difference is a wrong result and not
 * rounding; row 0 is left-padded, as batched rollouts are.
 */
class CausalAttentionBlocksTest {

    private static final int QUERY_BLOCK = 128;
    private static final int LENGTH = 300; // three query blocks: 128 + 128 + 44
    private static final int PADDING = 37;
    private static final LlamaConfig CONFIG = new LlamaConfig("llama", 32, 48, 2, 4, 2, 8, 50,
            512, 1e-5, 10000, false, false, null);

    private static NDManager root;
    private static Llama model;
    private static int[][] tokens;
    private static int[][] attention;

    @BeforeAll
    static void model() {
        root = OfflineEngine.manager();
        ModelParameters float32 = RandomWeights.parameters(CONFIG, 5, root.newSubManager());
        Map<String, NDArray> float64 = new LinkedHashMap<>();
        float32.asMap().forEach((name, a) -> float64.put(name, a.toType(DataType.FLOAT64, true)));
        model = new Llama(CONFIG, new ModelParameters(float32.manager(), float64), QUERY_BLOCK);
        SplittableRandom random = new SplittableRandom(9);
        tokens = new int[2][LENGTH];
        attention = new int[2][LENGTH];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < LENGTH; t++) {
                boolean padding = b == 0 && t < PADDING;
                tokens[b][t] = padding ? 0 : random.nextInt(CONFIG.vocabSize());
                attention[b][t] = padding ? 0 : 1;
            }
        }
    }

    @AfterAll
    static void close() {
        root.close();
    }

    @Test
    void oneLongPassGivesTheLogitsOfOneTokenAtATime() {
        try (NDManager m = root.newSubManager()) {
            double[] blocked = model.forward(m, tokens, attention, null, false, false)
                    .toDoubleArray();
            double[] stepwise = stepwiseLogits(m).toDoubleArray();
            assertEqualAtRealPositions(blocked, stepwise, 0, 1e-10);
        }
    }

    @Test
    void aLongContinuationOfCachedKeysGivesTheLogitsOfOneTokenAtATime() {
        int cached = 60; // then 240 new queries: blocks whose keys start with the cached ones
        try (NDManager m = root.newSubManager(); KvCache cache = new KvCache(CONFIG.numLayers())) {
            model.forward(m, columns(tokens, 0, cached), columns(attention, 0, cached), cache,
                    true, false);
            double[] continued = model.forward(m, columns(tokens, cached, LENGTH), attention,
                    cache, false, false).toDoubleArray();
            double[] stepwise = stepwiseLogits(m).get(new NDIndex(":, {}:, :", cached))
                    .toDoubleArray();
            assertEqualAtRealPositions(continued, stepwise, cached, 1e-10);
        }
    }

    @Test
    void oneLongPassGivesTheGradientsOfOneTokenAtATime() {
        try (NDManager m = root.newSubManager()) {
            // Weights for each real position's logits; padded positions carry no loss.
            NDArray lossWeights = m.randomNormal(new Shape(2, LENGTH, CONFIG.vocabSize()))
                    .toType(DataType.FLOAT64, false)
                    .mul(m.create(attention).toType(DataType.FLOAT64, false).expandDims(2));
            Map<String, double[]> blocked = gradients(lossWeights,
                    () -> model.forward(m, tokens, attention, null, false, false));
            Map<String, double[]> stepwise = gradients(lossWeights, () -> stepwiseLogits(m));
            blocked.forEach((name, gradient) -> {
                double[] expected = stepwise.get(name);
                for (int i = 0; i < gradient.length; i++) {
                    assertThat(gradient[i]).as("d loss / d %s[%d]", name, i)
                            .isCloseTo(expected[i], within(1e-9 + 1e-9 * Math.abs(expected[i])));
                }
            });
        }
    }

    /** Logits (2, LENGTH, V) from prefilling one token and decoding the rest one by one. */
    private static NDArray stepwiseLogits(NDManager m) {
        try (KvCache cache = new KvCache(CONFIG.numLayers())) {
            NDArray[] steps = new NDArray[LENGTH];
            for (int t = 0; t < LENGTH; t++) {
                int[][] token = {{tokens[0][t]}, {tokens[1][t]}};
                int[][] seen = {Arrays.copyOf(attention[0], t + 1),
                        Arrays.copyOf(attention[1], t + 1)};
                steps[t] = model.forward(m, token, seen, cache, true, false);
            }
            return NDArrays.concat(new NDList(steps), 1);
        }
    }

    private static Map<String, double[]> gradients(NDArray lossWeights,
            Supplier<NDArray> logits) {
        Map<String, NDArray> parameters = model.parameters().asMap();
        model.parameters().setTrainable(true);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            try (NoGradient noGradient = new NoGradient()) {
                parameters.values().forEach(p -> p.getGradient().set(new NDIndex("..."), 0));
            }
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                collector.backward(logits.get().mul(lossWeights).sum());
            }
            Map<String, double[]> gradients = new LinkedHashMap<>();
            parameters.forEach((name, p) -> gradients.put(name, p.getGradient()
                    .toDoubleArray()));
            return gradients;
        } finally {
            model.parameters().setTrainable(false);
        }
    }

    /** Compares logits of positions {@code first..LENGTH-1}, laid out (2, LENGTH - first, V). */
    private static void assertEqualAtRealPositions(double[] actual, double[] expected, int first,
            double tolerance) {
        int vocab = CONFIG.vocabSize();
        int width = LENGTH - first;
        for (int b = 0; b < 2; b++) {
            for (int t = first; t < LENGTH; t++) {
                if (attention[b][t] == 0) {
                    continue; // a padded query sees no key: its output is never read
                }
                for (int v = 0; v < vocab; v++) {
                    int i = (b * width + t - first) * vocab + v;
                    assertThat(actual[i]).as("logit of row %d, position %d, token %d", b, t, v)
                            .isCloseTo(expected[i], within(tolerance));
                }
            }
        }
    }

    private static int[][] columns(int[][] rows, int from, int to) {
        return new int[][] {Arrays.copyOfRange(rows[0], from, to),
                Arrays.copyOfRange(rows[1], from, to)};
    }
}
