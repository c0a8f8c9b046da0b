package ai.collectiveagency.policy.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chunked head and log-softmax of {@link TokenScorer} against the whole-tensor computation
 * (logits (B, T, V), log-softmax, gather): log-probs, entropies and the gradients of every weight
 * agree within 1e-5, for slices that split rows of a sequence and for a scored suffix.
 */
class ChunkedScoringTest {

    private static final int[][] TOKENS = {{0, 0, 5, 9, 2, 7, 60, 33}, {3, 11, 4, 4, 8, 1, 50, 2},
        {7, 7, 7, 1, 2, 3, 4, 5}};
    private static final int[][] ATTENTION = {{0, 0, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1},
        {1, 1, 1, 1, 1, 1, 0, 0}};
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "tied head {0}")
    @ValueSource(booleans = {true, false})
    void chunkedScoresAndGradientsEqualTheWholeTensorOnes(boolean tied) {
        LlamaConfig config = new LlamaConfig("llama", 32, 48, 2, 4, 2, 8, 67, 64, 1e-5, 10000,
                tied, false, null);
        for (int from : new int[] {0, 3}) {
            try (NDManager root = OfflineEngine.manager();
                    Llama model = RandomWeights.model(config, 5, root)) {
                model.parameters().setTrainable(true);
                Result whole = run(model, from, -1);
                for (int chunkRows : new int[] {1, 4, 5, 1000}) {
                    Result chunked = run(model, from, chunkRows);
                    String what = "from " + from + ", chunks of " + chunkRows + " rows";
                    assertClose(chunked.logprobs(), whole.logprobs(), what + ": log-probs");
                    assertClose(chunked.entropy(), whole.entropy(), what + ": entropies");
                    whole.gradients().forEach((name, expected) -> assertClose(
                            chunked.gradients().get(name), expected, what + ": d/d " + name));
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aLastPositionAloneHasNothingToScore() {
        LlamaConfig config = new LlamaConfig("llama", 32, 48, 2, 4, 2, 8, 67, 64, 1e-5, 10000,
                true, false, null);
        try (NDManager root = OfflineEngine.manager();
                Llama model = RandomWeights.model(config, 5, root);
                NDManager step = model.newStepManager()) {
            TokenScores scores = new TokenScorer(model, 4).score(step, TOKENS, ATTENTION,
                    TOKENS[0].length - 1, true, true);
            assertThat(scores.logprobs().getShape()).isEqualTo(new Shape(TOKENS.length, 0));
            assertThat(scores.entropy().getShape()).isEqualTo(new Shape(TOKENS.length, 0));
        }
    }

    private record Result(float[] logprobs, float[] entropy, Map<String, float[]> gradients) {}

    /** Scores with gradients; {@code chunkRows} -1 computes the whole (B, T, V) tensor at once. */
    private static Result run(Llama model, int from, int chunkRows) {
        try (NDManager step = model.newStepManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray weights = lossWeights(step, from);
            float[] logprobs;
            float[] entropy;
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                NDArray logp;
                NDArray ent;
                if (chunkRows < 0) {
                    NDArray logSoftmax = model.forward(step, TOKENS, ATTENTION, null, from, true)
                            .get(new NDIndex(":, :-1, :")).logSoftmax(-1);
                    logp = logSoftmax.gather(targets(step, from), -1).squeeze(-1);
                    NDArray detached = logSoftmax.stopGradient();
                    ent = detached.exp().mul(detached).sum(new int[] {-1}).neg();
                } else {
                    TokenScores scores = new TokenScorer(model, chunkRows).score(step, TOKENS,
                            ATTENTION, from, true, true);
                    logp = scores.logprobs();
                    ent = scores.entropy();
                }
                overwriteFreedBuffers(step);
                assertThat(logp.getShape()).isEqualTo(weights.getShape());
                assertThat(ent.getShape()).isEqualTo(weights.getShape());
                collector.backward(logp.mul(weights).sum());
                logprobs = logp.toFloatArray();
                entropy = ent.toFloatArray();
            }
            Map<String, float[]> gradients = new LinkedHashMap<>();
            model.parameters().asMap().forEach((name, p) -> {
                NDArray gradient = p.getGradient();
                gradients.put(name, gradient.toFloatArray());
                gradient.subi(gradient); // zero for the next run: backward accumulates
            });
            return new Result(logprobs, entropy, gradients);
        }
    }

    /**
     * Between forward and backward, frees what Java no longer references and fills fresh
     * buffers with out-of-range ids: indices that backward still reads must not live in a
     * buffer the scorer already closed (the engine wraps Java buffers without copying).
     */
    private static void overwriteFreedBuffers(NDManager manager) {
        System.gc();
        long[] garbage = new long[64];
        java.util.Arrays.fill(garbage, Long.MAX_VALUE / 3);
        try (NDManager scratch = manager.newSubManager()) {
            for (int i = 0; i < 200; i++) {
                scratch.create(garbage, new Shape(64, 1));
                scratch.create(new long[] {Long.MAX_VALUE / 3}, new Shape(1, 1));
            }
        }
    }

    /** Fixed, distinct weights per target: every position's gradient shows in the check. */
    private static NDArray lossWeights(NDManager manager, int from) {
        int width = TOKENS[0].length - 1 - from;
        float[] w = new float[TOKENS.length * width];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(1.7 * i + 0.3);
        }
        return manager.create(w, new Shape(TOKENS.length, width));
    }

    private static NDArray targets(NDManager manager, int from) {
        int width = TOKENS[0].length - 1 - from;
        long[] next = new long[TOKENS.length * width];
        for (int b = 0; b < TOKENS.length; b++) {
            for (int t = 0; t < width; t++) {
                next[b * width + t] = TOKENS[b][from + t + 1];
            }
        }
        return manager.create(next, new Shape(TOKENS.length, width, 1));
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double largest = 0;
        for (float e : expected) {
            largest = Math.max(largest, Math.abs(e));
        }
        assertThat(largest).as(what + ": not all zero").isGreaterThan(0);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s [%d]", what, i)
                    .isCloseTo(expected[i], within(TOLERANCE));
        }
    }
}
