package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.decode.VectorMath;
import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A forward pass that autograd does not record attends in Java ({@link JavaAttention}); the same
 * weights with {@code policy.attention.backend=ENGINE} attend in the engine. Their logits must
 * agree at every real position: left-padded rows as prompts are batched, a right-padded row as
 * training batches are (the padding keys get no weight), a length that is not a multiple of the
 * four queries scored together nor of a key tile, grouped-query heads, and continuations over
 * cached keys: several new tokens, then one (which the engine attends in both models).
 */
class JavaAttentionTest {

    private static final int ROWS = 4;
    private static final int LENGTH = 71;
    private static final int[] PADDING = {0, 5, 19, 0}; // leading padding
    private static final int[] RIGHT_PADDING = {0, 0, 0, 9}; // trailing padding
    private static final double TOLERANCE = 2e-5;

    private static NDManager root;

    @BeforeAll
    static void engine() {
        root = OfflineEngine.manager();
    }

    @AfterAll
    static void close() {
        root.close();
    }

    /** Heads of four vectors and of one: pairs of vectors, and a single one. */
    @ParameterizedTest
    @ValueSource(ints = {4, 1})
    void aPromptPassGivesTheEnginesLogits(int vectors) {
        Models models = models(vectors * VectorMath.LANES);
        int[][] attention = attention(LENGTH);
        float[][] logits = promptLogits(models, attention);
        assertEqualAtRealPositions(logits[0], logits[1], attention, 0,
                models.config().vocabSize());
        // were the same code to run twice, the bits would be equal: Java's sums round apart
        assertThat(logits[0]).as("logits of the two backends, bit for bit")
                .isNotEqualTo(logits[1]);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 1})
    void continuationsOverCachedKeysGiveTheEnginesLogits(int vectors) {
        Models models = models(vectors * VectorMath.LANES);
        int vocab = models.config().vocabSize();
        int[][] tokens = tokens(vocab);
        int[][] attention = attention(LENGTH);
        int prompt = 40;
        int more = 30; // then one token: a single query, as in decoding
        try (NoGradient noGradient = new NoGradient(); NDManager m = root.newSubManager();
                KvCache javaCache = new KvCache(models.config().numLayers());
                KvCache engineCache = new KvCache(models.config().numLayers())) {
            for (int[] span : new int[][] {{0, prompt}, {prompt, prompt + more},
                    {prompt + more, LENGTH}}) {
                int[][] seen = columns(attention, 0, span[1]);
                float[] java = models.java().forward(m, columns(tokens, span[0], span[1]), seen,
                        javaCache, false, false).toFloatArray();
                float[] engine = models.engine().forward(m, columns(tokens, span[0], span[1]),
                        seen, engineCache, false, false).toFloatArray();
                assertEqualAtRealPositions(java, engine, seen, span[0], vocab);
            }
        }
    }

    /** Heads that are not whole vectors (one and a half) are left to the engine: same bits. */
    @Test
    void headsOfPartVectorsAttendInTheEngine() {
        float[][] logits = promptLogits(models(VectorMath.LANES * 3 / 2), attention(LENGTH));
        assertThat(logits[0]).containsExactly(logits[1]);
    }

    /** The logits of one prompt pass without autograd: {Java model's, engine model's}. */
    private static float[][] promptLogits(Models models, int[][] attention) {
        int[][] tokens = tokens(models.config().vocabSize());
        try (NoGradient noGradient = new NoGradient(); NDManager m = root.newSubManager()) {
            return new float[][] {
                models.java().forward(m, tokens, attention, null, false, false).toFloatArray(),
                models.engine().forward(m, tokens, attention, null, false, false).toFloatArray()};
        }
    }

    @Test
    void anUnknownBackendIsRefusedNamingTheProperty() {
        System.setProperty(AttentionBackend.PROPERTY, "fast");
        try {
            assertThatThrownBy(AttentionBackend::configured)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("policy.attention.backend=fast")
                    .hasMessageContaining("ENGINE or JAVA");
        } finally {
            System.clearProperty(AttentionBackend.PROPERTY);
        }
    }

    private record Models(LlamaConfig config, Llama java, Llama engine) {}

    /** One set of random weights, attended by Java and by the engine. */
    private static Models models(int headDim) {
        LlamaConfig config = new LlamaConfig("llama", 4 * headDim, 96, 2, 4, 2, headDim, 61,
                512, 1e-5, 10000, false, false, null);
        ModelParameters parameters = RandomWeights.parameters(config, 11, root.newSubManager());
        Llama java = new Llama(config, parameters);
        System.setProperty(AttentionBackend.PROPERTY, "ENGINE");
        try {
            return new Models(config, java, new Llama(config, parameters));
        } finally {
            System.clearProperty(AttentionBackend.PROPERTY);
        }
    }

    private static int[][] tokens(int vocab) {
        SplittableRandom random = new SplittableRandom(4);
        int[][] tokens = new int[ROWS][LENGTH];
        for (int[] row : tokens) {
            Arrays.setAll(row, t -> random.nextInt(vocab));
        }
        return tokens;
    }

    private static int[][] attention(int length) {
        int[][] attention = new int[ROWS][length];
        for (int b = 0; b < ROWS; b++) {
            Arrays.fill(attention[b], PADDING[b], Math.max(PADDING[b],
                    Math.min(length, LENGTH - RIGHT_PADDING[b])), 1);
        }
        return attention;
    }

    /**
     * Compares logits (B, T, V) of positions {@code first..} of {@code attention}'s columns; a
     * padded query sees no key and its output is never read.
     */
    private static void assertEqualAtRealPositions(float[] actual, float[] expected,
            int[][] attention, int first, int vocab) {
        assertThat(actual).hasSameSizeAs(expected);
        int width = attention[0].length - first;
        for (int b = 0; b < ROWS; b++) {
            for (int t = first; t < attention[b].length; t++) {
                if (attention[b][t] == 0) {
                    continue;
                }
                for (int v = 0; v < vocab; v++) {
                    int i = (b * width + t - first) * vocab + v;
                    assertThat(actual[i]).as("logit of row %d, position %d, token %d", b, t, v)
                            .isCloseTo(expected[i], within((float) TOLERANCE));
                }
            }
        }
    }

    private static int[][] columns(int[][] rows, int from, int to) {
        int[][] out = new int[rows.length][];
        for (int b = 0; b < rows.length; b++) {
            out[b] = Arrays.copyOfRange(rows[b], from, to);
        }
        return out;
    }
}
