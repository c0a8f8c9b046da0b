package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.decode.DecodeWeights;
import ai.collectiveagency.policy.decode.JavaDecoder;
import ai.collectiveagency.policy.decode.JavaKvCache;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.sampling.DecodeBackend;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.Generator;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.policy.sampling.StopCondition;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Qwen3 specifics (an RMSNorm over head_dim on each head's q and k before RoPE, head_dim 16
 * unlike hidden / heads = 10, no q/k/v biases, tied head, GQA) against an independent PyTorch
 * implementation, on both backends: ENGINE is {@link Llama#forward}, JAVA the Java decoder
 * ({@link JavaDecoder}) stepping token by token, or continuing the engine's prefill for the
 * padded batch as generation does. Logits and log-probs within 1e-4, greedy ids exactly.
 */
class Qwen3ParityTest {

    private static final float TOLERANCE = 1e-4f;
    private static final ParallelRange RANGE = new ParallelRange(1); // no worker threads

    static Stream<Arguments> cases() {
        return Fixtures.cases("qwen3-tiny-random").stream().flatMap(dir ->
                Arrays.stream(DecodeBackend.values()).map(backend -> Arguments.of(dir, backend)));
    }

    @Test
    void configHasAnExplicitHeadDimAndPerHeadNorms() {
        LlamaConfig config = LlamaConfig.read(
                Fixtures.shipped("qwen3-tiny-random").resolve("config.json"));

        assertThat(config.modelType()).isEqualTo("qwen3");
        assertThat(config.headDim()).isEqualTo(16).isNotEqualTo(
                config.hiddenSize() / config.numHeads());
        assertThat(config.qkNorm()).isTrue();
        assertThat(config.qkvBias()).isFalse();
        assertThat(ParameterNames.expectedShapes(config))
                .containsEntry(ParameterNames.queryNorm(2), new long[] {16})
                .containsEntry(ParameterNames.keyNorm(2), new long[] {16})
                .containsEntry(ParameterNames.projection(0, "q_proj") + ".weight",
                        new long[] {64, 40})
                .containsEntry(ParameterNames.projection(0, "o_proj") + ".weight",
                        new long[] {40, 64})
                .doesNotContainKey(ParameterNames.projection(0, "q_proj") + ".bias");
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("cases")
    void logitsMatchTheReference(Path dir, DecodeBackend backend) throws Exception {
        JsonNode expected = Json.expected(dir);
        int[] ids = Json.ints(expected.path("input_ids"));
        try (Llama model = Llama.load(dir)) {
            Json.assertRowsClose(logits(model, backend, ids), model.config().vocabSize(),
                    expected.path("logits"), TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("cases")
    void greedyIdsMatchTheReferenceExactly(Path dir, DecodeBackend backend) throws Exception {
        JsonNode expected = Json.expected(dir);
        int[] greedy = Json.ints(expected.path("greedy"));
        try (Llama model = Llama.load(dir)) {
            Generation out = new Generator(model, backend).generate(
                    List.of(Json.ints(expected.path("input_ids"))),
                    SamplingParams.greedy(greedy.length), Set.of(), StopCondition.NONE).get(0);
            assertThat(out.tokenIds()).containsExactly(greedy);
        }
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("cases")
    void leftPaddedBatchLastLogprobsMatchTheReference(Path dir, DecodeBackend backend)
            throws Exception {
        JsonNode batch = Json.expected(dir).path("left_padded_batch");
        int[][] ids = Stories260kParityTest.rows(batch.path("input_ids"));
        int[][] mask = Stories260kParityTest.rows(batch.path("attention_mask"));
        try (Llama model = Llama.load(dir)) {
            float[] logits = backend == DecodeBackend.ENGINE
                    ? engineLastLogits(model, ids, mask)
                    : javaLastLogitsAfterEnginePrefill(model, ids, mask);
            int vocab = model.config().vocabSize();
            Json.assertRowsClose(logSoftmaxRows(logits, vocab), vocab,
                    batch.path("last_logprobs"), TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("cases")
    void teacherForcedLogprobsMatchTheReference(Path dir, DecodeBackend backend)
            throws Exception {
        JsonNode expected = Json.expected(dir);
        int[] ids = Json.ints(expected.path("input_ids"));
        float[] reference = Json.floats(expected.path("token_logprobs").path("logprob_of_next"));
        try (Llama model = Llama.load(dir)) {
            float[] actual = backend == DecodeBackend.ENGINE
                    ? new TokenScorer(model).logprobs(new int[][] {ids},
                            new int[][] {Stories260kParityTest.ones(ids.length)})[0]
                    : javaLogprobsOfNext(model, ids);
            assertThat(actual).hasSize(reference.length);
            for (int t = 0; t < reference.length; t++) {
                assertThat(actual[t]).as("position %d", t)
                        .isCloseTo(reference[t], within(TOLERANCE));
            }
        }
    }

    /** Logits (T, V) of every position of one sequence. */
    private static float[] logits(Llama model, DecodeBackend backend, int[] ids) {
        if (backend == DecodeBackend.ENGINE) {
            try (NDManager step = model.newStepManager()) {
                return model.forward(step, new int[][] {ids},
                        new int[][] {Stories260kParityTest.ones(ids.length)}, null, false, false)
                        .toFloatArray();
            }
        }
        int vocab = model.config().vocabSize();
        JavaDecoder decoder = new JavaDecoder(DecodeWeights.of(model),
                JavaKvCache.empty(model.config(), new int[] {0}, ids.length),
                new PanelMatmul(RANGE));
        float[] all = new float[ids.length * vocab];
        for (int t = 0; t < ids.length; t++) {
            System.arraycopy(decoder.step(new int[] {ids[t]}), 0, all, t * vocab, vocab);
        }
        return all;
    }

    /** Log-probability of each next token, from the Java decoder's logits. */
    private static float[] javaLogprobsOfNext(Llama model, int[] ids) {
        int vocab = model.config().vocabSize();
        float[] logprobs = logSoftmaxRows(logits(model, DecodeBackend.JAVA, ids), vocab);
        float[] next = new float[ids.length - 1];
        for (int t = 0; t < next.length; t++) {
            next[t] = logprobs[t * vocab + ids[t + 1]];
        }
        return next;
    }

    private static float[] engineLastLogits(Llama model, int[][] ids, int[][] mask) {
        try (NDManager step = model.newStepManager()) {
            return model.forward(step, ids, mask, null, true, false).toFloatArray();
        }
    }

    /** The engine prefills all but the last column, the Java decoder feeds the last one. */
    private static float[] javaLastLogitsAfterEnginePrefill(Llama model, int[][] ids,
            int[][] mask) {
        int rows = ids.length;
        int prefix = ids[0].length - 1;
        int[][] prefixIds = new int[rows][];
        int[][] prefixMask = new int[rows][];
        int[] padding = new int[rows];
        int[] last = new int[rows];
        for (int b = 0; b < rows; b++) {
            prefixIds[b] = Arrays.copyOf(ids[b], prefix);
            prefixMask[b] = Arrays.copyOf(mask[b], prefix);
            padding[b] = (int) Arrays.stream(mask[b]).filter(m -> m == 0).count();
            last[b] = ids[b][prefix];
        }
        try (NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager();
                KvCache cache = new KvCache(model.config().numLayers())) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                model.forward(manager, prefixIds, prefixMask, cache, true, false);
            }
            JavaDecoder decoder = new JavaDecoder(DecodeWeights.of(model),
                    JavaKvCache.copyOf(cache, model.config(), padding, prefix + 1),
                    new PanelMatmul(RANGE));
            return decoder.step(last).clone();
        }
    }

    private static float[] logSoftmaxRows(float[] logits, int width) {
        float[] out = new float[logits.length];
        for (int row = 0; row < logits.length / width; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < width; i++) {
                max = Math.max(max, logits[row * width + i]);
            }
            double sum = 0;
            for (int i = 0; i < width; i++) {
                sum += Math.exp(logits[row * width + i] - max);
            }
            double logSum = max + Math.log(sum);
            for (int i = 0; i < width; i++) {
                out[row * width + i] = (float) (logits[row * width + i] - logSum);
            }
        }
        return out;
    }
}
