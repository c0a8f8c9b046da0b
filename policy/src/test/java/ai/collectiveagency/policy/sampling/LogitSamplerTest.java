package ai.collectiveagency.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The Java sampler picks what the engine's {@link TokenSampler} picks for the same uniforms, on
 * tie-free logits (distinct values, so the likeliest-first order is unambiguous).
 */
class LogitSamplerTest {

    private static final int BATCH = 4;
    /** 64 float ulps: how far apart two float computations of one probability may land. */
    private static final double RELATIVE_ROUNDING = 64 * Math.scalb(1.0, -24);
    /** Uniforms per row of the nucleus test, evenly spread over [0, 0.9999]. */
    private static final int DRAWS = 101;
    private static final float[] UNIFORMS = {0f, 0.03f, 0.25f, 0.5f, 0.77f, 0.9f, 0.999f};

    static Stream<Arguments> cases() {
        // 1,000 leaves a partial last block of the inverse CDF's 256
        return Stream.of(512, 1000, 32000).flatMap(vocab -> Stream.of(
                SamplingParams.greedy(1),
                SamplingParams.sample(1, 1.0, 0),
                SamplingParams.sample(1, 0.7, 0),
                new SamplingParams(1, 0.7, 0.9, 0, 0),
                new SamplingParams(1, 0.7, 0.95, 0, 0),
                new SamplingParams(1, 1.0, 0.999, 0, 0),
                new SamplingParams(1, 1.3, 0.5, 0, 0),
                new SamplingParams(1, 0.7, 1.0, 20, 0),
                new SamplingParams(1, 1.0, 0.9, 20, 0),
                new SamplingParams(1, 1.0, 1.0, 1, 0))
                .map(params -> Arguments.of(vocab, params)));
    }

    @ParameterizedTest(name = "V={0} {1}")
    @MethodSource("cases")
    void choosesTheEnginesTokenAndLogprob(int vocab, SamplingParams params) {
        float[] logits = distinctLogits(vocab, new SplittableRandom(vocab));
        LogitSampler sampler = new LogitSampler(params, vocab, BATCH, new ParallelRange(2));
        try (NDManager manager = OfflineEngine.manager()) {
            for (float u : UNIFORMS) {
                float[] uniforms = {u, 1 - u / 2, u / 3, 0.5f};
                TokenChoice expected = TokenSampler.choose(
                        manager.create(logits, new Shape(BATCH, vocab)), params, uniforms);
                TokenChoice actual = sampler.choose(logits, BATCH, uniforms);

                assertThat(actual.ids()).as("u=%s", u).containsExactly(expected.ids());
                assertThat(actual.logprobs()).as("u=%s", u)
                        .containsExactly(expected.logprobs(), within(1e-5f));
            }
        }
    }

    /**
     * Top-p alone sorts only a few bins; every draw still lands on the engine's token or, for a
     * few of a cut's 404 draws at most, on a neighbour within float rounding of it.
     */
    @ParameterizedTest(name = "top-p {0}")
    @MethodSource("nucleusCuts")
    void nucleusDrawsLandWhereTheEnginesDo(double topP) {
        int vocab = 32000;
        SamplingParams params = new SamplingParams(1, 0.7, topP, 0, 0);
        float[] logits = distinctLogits(vocab, new SplittableRandom(7));
        for (int v = 0; v < vocab; v++) { // row 0: one token far above the rest
            logits[v] = v == 123 ? 30f : logits[v] - 8f;
        }
        LogitSampler sampler = new LogitSampler(params, vocab, BATCH, new ParallelRange(2));
        int roundedApart = 0;
        try (NDManager manager = OfflineEngine.manager()) {
            for (int draw = 0; draw < DRAWS; draw++) {
                float u = draw / (DRAWS - 1f) * 0.9999f;
                float[] uniforms = {u, 1 - u, (u + 0.37f) % 1, (u * 7.3f) % 1};
                TokenChoice expected = TokenSampler.choose(
                        manager.create(logits, new Shape(BATCH, vocab)), params, uniforms);
                TokenChoice actual = sampler.choose(logits, BATCH, uniforms);

                for (int row = 0; row < BATCH; row++) {
                    if (roundedApart(logits, vocab, row, params, uniforms[row],
                            expected.ids()[row], actual.ids()[row])) {
                        roundedApart++;
                    }
                }
            }
        }
        assertThat(roundedApart).as("draws (of %d) that rounding put on another token",
                DRAWS * BATCH).isLessThanOrEqualTo(8);
    }

    /**
     * Whether the Java token is another than the engine's; if so, asserts that its exact
     * interval of the distribution holds the draw to within float rounding. Each side computes every probability in float: a log-softmax whose
     * normalising total sums 32,000 floats in its own order (the Java one by vector width, 8
     * lanes on AVX2 and 16 on AVX-512), then exp. Both accumulate the cumulative sums in double.
     * So each side's cumulative distribution is the exact one times (1 + δ), δ a few tens of
     * float ulps at most; where a draw falls that close to a boundary, either token is right.
     * The Java token must be one that top-p keeps (an interval of positive width).
     */
    private static boolean roundedApart(float[] logits, int vocab, int row,
            SamplingParams params, float u, long expected, long actual) {
        if (expected == actual) {
            return false;
        }
        double[] probabilities = new double[vocab];
        Integer[] order = new Integer[vocab];
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            probabilities[v] = logits[row * vocab + v] / params.temperature();
            max = Math.max(max, probabilities[v]);
            order[v] = v;
        }
        double total = 0;
        for (int v = 0; v < vocab; v++) {
            probabilities[v] = Math.exp(probabilities[v] - max);
            total += probabilities[v];
        }
        Arrays.sort(order, (a, b) -> Double.compare(probabilities[b], probabilities[a]));
        double[] cdf = new double[vocab];
        double kept = 0;
        for (int rank = 0; rank < vocab; rank++) {
            double p = probabilities[order[rank]] / total;
            kept += kept < params.topP() ? p : 0;
            cdf[rank] = kept;
        }
        int rank = rankOf(order, actual);
        double from = rank == 0 ? 0 : cdf[rank - 1];
        double target = u * kept;
        double rounding = RELATIVE_ROUNDING * Math.max(target, cdf[rank]);
        String context = String.format("u=%s row %d: the Java token has rank %d, the engine's %d",
                u, row, rank, rankOf(order, expected));
        assertThat(cdf[rank]).as(context + "; kept by top-p").isGreaterThan(from);
        assertThat(target).as(context + "; the draw against the Java token's exact interval")
                .isBetween(from - rounding, cdf[rank] + rounding);
        return true;
    }

    private static int rankOf(Integer[] order, long token) {
        for (int rank = 0; rank < order.length; rank++) {
            if (order[rank] == token) {
                return rank;
            }
        }
        throw new AssertionError("token " + token + " is not in the vocabulary");
    }

    static Stream<Double> nucleusCuts() {
        return Stream.of(0.3, 0.95, 0.9999999);
    }

    /** (B, V) logits: a shuffled ladder of distinct values in [-8, 8), one shuffle per row. */
    private static float[] distinctLogits(int vocab, SplittableRandom random) {
        float[] logits = new float[BATCH * vocab];
        for (int b = 0; b < BATCH; b++) {
            int[] order = new int[vocab];
            for (int i = 0; i < vocab; i++) {
                int j = random.nextInt(i + 1);
                order[i] = order[j];
                order[j] = i;
            }
            float spread = 4f * (b + 1); // from peaked to flat rows
            for (int v = 0; v < vocab; v++) {
                logits[b * vocab + v] = spread * (order[v] - vocab / 2f) / vocab;
            }
        }
        return logits;
    }
}
