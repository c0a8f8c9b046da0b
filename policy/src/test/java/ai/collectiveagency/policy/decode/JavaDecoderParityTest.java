package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.KvCache;
import ai.collectiveagency.policy.model.Llama;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The Java decoder's logits against the engine's forward pass, step by step, on a left-padded
 * batch continued from the engine's prefill, with a row leaving the batch midway.
 */
class JavaDecoderParityTest {

    private static final int STEPS = 12;
    private static final int DROP_AT = 5; // row 1 leaves the batch after this step

    static Stream<Path> fixtures() {
        return Stream.of("stories260k", "qwen2-tiny-random", "qwen3-tiny-random")
                .flatMap(name -> Fixtures.cases(name).stream());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void decodeStepLogitsMatchTheEngine(Path dir) {
        int[][] prompts = {{1, 203, 207, 261, 178, 300}, {1, 50}, {1, 20, 30, 40}}; // ids < 379
        assertStepsMatchTheEngine(dir, prompts, DROP_AT, false);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void javaPrefillOfLeftPaddedPromptsMatchesTheEngine(Path dir) {
        int[][] prompts = {{1, 203, 207, 261, 178, 300}, {1, 50}, {1, 20, 30, 40}};
        assertStepsMatchTheEngine(dir, prompts, DROP_AT, true);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void tokenByTokenPrefillFromAnEmptyCacheMatchesTheEnginesPrefill(Path dir) {
        int[] prompt = {1, 203, 207, 261, 178, 300, 50};
        try (Llama model = Llama.load(dir); NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager()) {
            float[] engine = forward(model, manager, new int[][] {prompt},
                    new int[][] {ones(prompt.length)}, null);
            JavaDecoder decoder = new JavaDecoder(DecodeWeights.of(model),
                    JavaKvCache.empty(model.config(), new int[] {0}, prompt.length),
                    new PanelMatmul(new ParallelRange(1)));
            float[] java = null;
            for (int id : prompt) {
                java = decoder.step(new int[] {id});
            }
            for (int i = 0; i < engine.length; i++) {
                assertThat(java[i]).as("logit %d", i).isCloseTo(engine[i], within(1e-4f));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void longPaddedContextsMatchTheEngine(Path dir) {
        // 100 and 81 prompt tokens: 81-112 visible slots take both loops of the attention's
        // scores (four key tiles at once, one tile), from a first slot inside a tile (19 padding)
        SplittableRandom random = new SplittableRandom(17);
        int[][] prompts = {random.ints(100, 1, 371).toArray(), random.ints(81, 1, 371).toArray()};
        assertStepsMatchTheEngine(dir, prompts, -1, false);
        assertStepsMatchTheEngine(dir, prompts, -1, true);
    }

    /**
     * Prefills the left-padded prompts on the engine, and either copies its cache into a Java
     * decoder or prefills them in the Java decoder too ({@code javaPrefill}, its logits held to
     * the engine's); then feeds both the engine's greedy ids for {@link #STEPS} steps and holds
     * the Java logits to the engine's at every step; after step {@code dropAt} (none when
     * negative) row 1 leaves.
     */
    private static void assertStepsMatchTheEngine(Path dir, int[][] prompts, int dropAt,
            boolean javaPrefill) {
        int longest = Arrays.stream(prompts).mapToInt(p -> p.length).max().orElseThrow();
        int[][] input = new int[prompts.length][longest];
        int[][] attention = new int[prompts.length][longest];
        int[] padding = new int[prompts.length];
        for (int b = 0; b < prompts.length; b++) {
            padding[b] = longest - prompts[b].length;
            System.arraycopy(prompts[b], 0, input[b], padding[b], prompts[b].length);
            Arrays.fill(attention[b], padding[b], longest, 1);
        }
        try (Llama model = Llama.load(dir); NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager();
                KvCache cache = new KvCache(model.config().numLayers())) {
            float[] engine = forward(model, manager, input, attention, cache);
            JavaKvCache javaCache = javaPrefill
                    ? JavaKvCache.empty(model.config(), padding, longest + STEPS)
                    : JavaKvCache.copyOf(cache, model.config(), padding, longest + STEPS);
            JavaDecoder decoder = new JavaDecoder(DecodeWeights.of(model), javaCache,
                    new PanelMatmul(new ParallelRange(2)));
            if (javaPrefill) {
                float[] java = decoder.feed(Arrays.stream(input).flatMapToInt(Arrays::stream)
                        .toArray(), longest);
                for (int i = 0; i < engine.length; i++) {
                    assertThat(java[i]).as("prefill logit %d", i)
                            .isCloseTo(engine[i], within(1e-4f));
                }
            }
            int vocab = model.config().vocabSize();
            for (int step = 0; step < STEPS; step++) {
                int[] next = argMaxes(engine, vocab);
                if (step == dropAt) {
                    int[] kept = IntStream.range(0, next.length).filter(r -> r != 1).toArray();
                    decoder.keepRows(kept);
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        cache.select(manager.create(Arrays.stream(kept).asLongStream()
                                .toArray()));
                    }
                    int[] before = next;
                    int[][] rows = attention;
                    next = Arrays.stream(kept).map(r -> before[r]).toArray();
                    attention = Arrays.stream(kept).mapToObj(r -> rows[r]).toArray(int[][]::new);
                }
                attention = appendOne(attention);
                engine = forward(model, manager, column(next), attention, cache);
                float[] java = decoder.step(next);
                for (int i = 0; i < engine.length; i++) {
                    assertThat(java[i]).as("step %d logit %d", step, i)
                            .isCloseTo(engine[i], within(1e-4f));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aStepPastTheCapacityIsRefusedBeforeAnyLayerWrites(Path dir) {
        try (Llama model = Llama.load(dir)) {
            JavaDecoder decoder = new JavaDecoder(DecodeWeights.of(model),
                    JavaKvCache.empty(model.config(), new int[] {0, 0}, 3),
                    new PanelMatmul(new ParallelRange(1)));
            for (int step = 0; step < 3; step++) {
                decoder.step(new int[] {1, 2});
            }

            assertThatThrownBy(() -> decoder.step(new int[] {1, 2}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("KV cache full (3 slots)");
            assertThat(decoder.cache().length()).isEqualTo(3);

            JavaDecoder prefilling = new JavaDecoder(DecodeWeights.of(model),
                    JavaKvCache.empty(model.config(), new int[] {0, 1}, 3),
                    new PanelMatmul(new ParallelRange(1)));
            prefilling.feed(new int[] {1, 2, 0, 3}, 2);
            assertThatThrownBy(() -> prefilling.feed(new int[] {1, 2, 3, 4}, 2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("KV cache full (3 slots)");
            assertThat(prefilling.cache().length()).isEqualTo(2);
        }
    }

    private static int[] ones(int n) {
        int[] row = new int[n];
        Arrays.fill(row, 1);
        return row;
    }

    private static float[] forward(Llama model, NDManager manager, int[][] input,
            int[][] attention, KvCache cache) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logits = model.forward(manager, input, attention, cache, true, false);
            return logits.toFloatArray();
        }
    }

    private static int[] argMaxes(float[] logits, int vocab) {
        int[] ids = new int[logits.length / vocab];
        for (int b = 0; b < ids.length; b++) {
            for (int v = 1; v < vocab; v++) {
                if (logits[b * vocab + v] > logits[b * vocab + ids[b]]) {
                    ids[b] = v;
                }
            }
        }
        return ids;
    }

    private static int[][] column(int[] ids) {
        return Arrays.stream(ids).mapToObj(id -> new int[] {id}).toArray(int[][]::new);
    }

    private static int[][] appendOne(int[][] rows) {
        List<int[]> out = Arrays.stream(rows).map(r -> {
            int[] longer = Arrays.copyOf(r, r.length + 1);
            longer[r.length] = 1;
            return longer;
        }).toList();
        return out.toArray(int[][]::new);
    }
}
