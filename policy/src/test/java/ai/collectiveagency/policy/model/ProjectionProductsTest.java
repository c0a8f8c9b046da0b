package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.decode.CpuId;
import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.LoraConfig;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A block's projections as 1x1 convolutions give the matrix product's values and gradients (to
 * float32 rounding: the engine sums in another order), in a whole model too, with the q/k/v
 * biases of Qwen2, in training (LoRA on a frozen base too), prefill and decode; passes too short
 * for a convolution take the product itself.
 */
class ProjectionProductsTest {

    /** Tokens of a pass that takes the convolution: two rows of 300 (600 of at least 512). */
    private static final int LENGTH = 300;
    private static final LlamaConfig CONFIG = new LlamaConfig("qwen2", 64, 96, 2, 4, 2, 16, 70,
            512, 1e-6, 10000, false, true, null);

    private static NDManager root;
    private final String propertyBefore = System.getProperty(ProjectionProducts.PROPERTY);

    @BeforeAll
    static void engine() {
        root = OfflineEngine.manager();
    }

    @AfterAll
    static void close() {
        root.close();
    }

    @AfterEach
    void restoreProperty() {
        if (propertyBefore == null) {
            System.clearProperty(ProjectionProducts.PROPERTY);
        } else {
            System.setProperty(ProjectionProducts.PROPERTY, propertyBefore);
        }
    }

    @Test
    void aConvolutionGivesTheProductsValuesAndGradients() {
        try (NDManager m = root.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(2, LENGTH, 64));
            NDArray weight = m.randomNormal(new Shape(96, 64)).mul(0.1f);
            NDArray bias = m.randomNormal(new Shape(96));
            NDArray lossWeights = m.randomNormal(new Shape(2, LENGTH, 96));
            Map<String, float[]> product = valuesAndGradients(ProjectionProducts.MATMUL, x,
                    weight, bias, lossWeights);
            Map<String, float[]> convolution = valuesAndGradients(
                    ProjectionProducts.CONVOLUTION, x, weight, bias, lossWeights);

            assertThat(ProjectionProducts.CONVOLUTION.convolves(x)).isTrue();
            product.forEach((name, expected) -> assertClose(name, convolution.get(name),
                    expected));
        }
    }

    @Test
    void aPassTooShortForAConvolutionTakesTheProductItself() {
        try (NDManager m = root.newSubManager()) {
            int rows = ProjectionProducts.MIN_CONVOLUTION_ROWS - 1;
            NDArray x = m.randomNormal(new Shape(rows, 64));
            NDArray weight = m.randomNormal(new Shape(96, 64));
            NDArray bias = m.randomNormal(new Shape(96));

            assertThat(ProjectionProducts.CONVOLUTION.convolves(x)).isFalse();
            NDArray convolution = ProjectionProducts.CONVOLUTION.project(x, weight, bias);

            assertThat(convolution.getShape()).isEqualTo(new Shape(rows, 96));
            assertThat(convolution.toFloatArray())
                    .containsExactly(ProjectionProducts.MATMUL.project(x, weight, bias)
                            .toFloatArray());
        }
    }

    @Test
    void aModelGivesTheSameLogitsGradientsAndDecodeWithEitherProducts() {
        int[][] tokens = randomTokens();
        int[][] attention = {ones(LENGTH), ones(LENGTH)};
        Map<String, float[]> product = modelLogitsAndGradients("MATMUL", tokens, attention);
        Map<String, float[]> convolution = modelLogitsAndGradients("convolution", tokens,
                attention);

        product.forEach((name, expected) -> assertClose(name, convolution.get(name), expected));
    }

    @Test
    void aLoraAdapterOnAFrozenBaseGetsTheSameGradientsWithEitherProducts() {
        // each adapter's delta is added into its projection's output, a view of the convolution's
        int[][] tokens = randomTokens();
        int[][] attention = {ones(LENGTH), ones(LENGTH)};
        Map<String, float[]> product = adapterGradients("matmul", tokens, attention);
        Map<String, float[]> convolution = adapterGradients("CONVOLUTION", tokens, attention);

        assertThat(product).hasSize(1 + 2 * CONFIG.numLayers() * 7); // logits, A and B of each
        product.forEach((name, expected) -> assertClose(name, convolution.get(name), expected));
    }

    @Test
    void aModelRefusesABadSettingNamingTheKey() {
        System.setProperty(ProjectionProducts.PROPERTY, "fast");
        try (NDManager m = root.newSubManager()) {
            ModelParameters parameters = RandomWeights.parameters(CONFIG, 7, m);
            assertThatThrownBy(() -> new Llama(CONFIG, parameters))
                    .hasMessageContaining("policy.engine.projections=fast");
        }
    }

    @Test
    void theDefaultIsTheConvolutionOnZen5OrLaterOnly() {
        assertThat(ProjectionProducts.forCpu(CpuId.AMD, CpuId.ZEN_5))
                .isEqualTo(ProjectionProducts.CONVOLUTION);
        assertThat(ProjectionProducts.forCpu(CpuId.AMD, CpuId.ZEN_5 + 1))
                .isEqualTo(ProjectionProducts.CONVOLUTION);
        assertThat(ProjectionProducts.forCpu(CpuId.AMD, 25)).as("Zen 4: not measured")
                .isEqualTo(ProjectionProducts.MATMUL);
        assertThat(ProjectionProducts.forCpu("GenuineIntel", 6))
                .isEqualTo(ProjectionProducts.MATMUL);
        assertThat(ProjectionProducts.forCpu("", -1)).as("no /proc/cpuinfo")
                .isEqualTo(ProjectionProducts.MATMUL);
    }

    @Test
    void thePropertyChoosesAndABadValueNamesTheKey() {
        System.setProperty(ProjectionProducts.PROPERTY, " Convolution ");
        assertThat(ProjectionProducts.configured()).isEqualTo(ProjectionProducts.CONVOLUTION);
        System.setProperty(ProjectionProducts.PROPERTY, "matmul");
        assertThat(ProjectionProducts.configured()).isEqualTo(ProjectionProducts.MATMUL);

        System.setProperty(ProjectionProducts.PROPERTY, "gemm");
        assertThatThrownBy(ProjectionProducts::configured)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy.engine.projections=gemm")
                .hasMessageContaining("MATMUL or CONVOLUTION");
    }

    /** y = x·Wᵀ + b and the gradients of sum(y · lossWeights) for x, W and b. */
    private static Map<String, float[]> valuesAndGradients(ProjectionProducts products, NDArray x,
            NDArray weight, NDArray bias, NDArray lossWeights) {
        List<NDArray> inputs = List.of(x, weight, bias);
        inputs.forEach(a -> a.setRequiresGradient(true));
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            try (NoGradient noGradient = new NoGradient()) { // from the other products' run
                inputs.forEach(a -> a.getGradient().set(new NDIndex("..."), 0));
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                NDArray y = products.project(x, weight, bias);
                assertThat(y.getShape()).isEqualTo(new Shape(2, LENGTH, 96));
                out.put("y", y.toFloatArray());
                collector.backward(y.mul(lossWeights).sum());
            }
            out.put("d/dx", x.getGradient().toFloatArray());
            out.put("d/dW", weight.getGradient().toFloatArray());
            out.put("d/db", bias.getGradient().toFloatArray());
            return out;
        } finally {
            inputs.forEach(a -> a.setRequiresGradient(false));
        }
    }

    /** Logits and the gradients of every LoRA factor, the base frozen. */
    private static Map<String, float[]> adapterGradients(String products, int[][] tokens,
            int[][] attention) {
        System.setProperty(ProjectionProducts.PROPERTY, products);
        try (NDManager m = root.newSubManager()) {
            Llama model = new Llama(CONFIG, RandomWeights.parameters(CONFIG, 7, m));
            try (LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
                SplittableRandom random = new SplittableRandom(5); // B is zero when initialised
                lora.parameters().forEach((name, factor) -> {
                    if (name.endsWith("lora_B.weight")) {
                        float[] values = new float[Math.toIntExact(factor.size())];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = (float) random.nextDouble(-0.05, 0.05);
                        }
                        factor.set(FloatBuffer.wrap(values));
                    }
                });
                model.setAdapter(lora);
                lora.setTrainable(true);
                Map<String, float[]> out = new LinkedHashMap<>();
                try (NDScope scope = new NDScope();
                        GradientCollector collector = OfflineEngine.start()
                                .newGradientCollector()) {
                    scope.suppressNotUsedWarning();
                    NDArray logits = model.forward(m, tokens, attention, null, false, true);
                    out.put("logits", logits.toFloatArray());
                    collector.backward(logits.mul(pattern(m, logits.getShape())).sum());
                }
                lora.parameters().forEach((name, factor) -> out.put("d/d " + name,
                        factor.getGradient().toFloatArray()));
                return out;
            }
        }
    }

    private static int[][] randomTokens() {
        int[][] tokens = new int[2][LENGTH];
        SplittableRandom random = new SplittableRandom(3);
        for (int[] row : tokens) {
            Arrays.setAll(row, t -> random.nextInt(CONFIG.vocabSize()));
        }
        return tokens;
    }

    /** A random model's logits and its parameters' gradients, built with the given products. */
    private static Map<String, float[]> modelLogitsAndGradients(String products, int[][] tokens,
            int[][] attention) {
        System.setProperty(ProjectionProducts.PROPERTY, products);
        try (NDManager m = root.newSubManager()) {
            Llama model = new Llama(CONFIG, RandomWeights.parameters(CONFIG, 7, m));
            assertThat(model.projections().name()).isEqualToIgnoringCase(products);
            Map<String, NDArray> parameters = model.parameters().asMap();
            NDArray lossWeights = pattern(m, new Shape(2, LENGTH, CONFIG.vocabSize()));
            model.parameters().setTrainable(true);
            Map<String, float[]> out = new LinkedHashMap<>();
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                try (NoGradient noGradient = new NoGradient()) {
                    parameters.values().forEach(p -> p.getGradient().set(new NDIndex("..."), 0));
                }
                try (GradientCollector collector = OfflineEngine.start()
                        .newGradientCollector()) {
                    NDArray logits = model.forward(m, tokens, attention, null, false, false);
                    out.put("logits", logits.toFloatArray());
                    collector.backward(logits.mul(lossWeights).sum());
                }
            }
            parameters.forEach((name, p) -> out.put("d/d " + name,
                    p.getGradient().toFloatArray()));
            model.parameters().setTrainable(false);
            // as a generator prefills (Java attention and norms on the products' outputs), then
            // one decode step from the cache
            try (NoGradient noGradient = new NoGradient(); NDScope scope = new NDScope();
                    KvCache cache = new KvCache(CONFIG.numLayers())) {
                scope.suppressNotUsedWarning();
                out.put("prefill's last logits",
                        model.forward(m, tokens, attention, cache, true, false).toFloatArray());
                int[][] next = {{1}, {2}};
                int[][] seen = {ones(LENGTH + 1), ones(LENGTH + 1)};
                out.put("a step's logits",
                        model.forward(m, next, seen, cache, true, false).toFloatArray());
            }
            return out;
        }
    }

    private static int[] ones(int length) {
        int[] ones = new int[length];
        Arrays.fill(ones, 1);
        return ones;
    }

    /** The same loss weights for both models: a fixed pattern, not the engine's random state. */
    private static NDArray pattern(NDManager m, Shape shape) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i * 0.37);
        }
        return m.create(values, shape);
    }

    /**
     * Within float32 rounding of sums of products: 1e-5 of the largest expected magnitude. The
     * two may agree bit for bit where both sum k in order (K = 64 here, on the Zen 5 VM); with
     * the bench model's K = 512 they differed by up to 7e-6 of outputs of magnitude 6.
     */
    private static void assertClose(String name, float[] actual, float[] expected) {
        assertThat(actual).as(name).hasSameSizeAs(expected);
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double tolerance = 1e-5 * Math.max(scale, 1e-3);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s[%d]", name, i)
                    .isCloseTo(expected[i], within(tolerance));
        }
    }
}
