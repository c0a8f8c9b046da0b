package ai.collectiveagency.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.decode.JavaKvCache;
import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

/**
 * A JAVA-backend generator lays each generation's KV cache out in the arrays of the one before,
 * whose stale keys and values must change nothing: every generation gives the tokens a new
 * generator gives for it, and their log-probs up to the last bits (the JIT's exponentials differ
 * from the interpreter's there, whatever the cache), as {@link DecodeBackendParityTest} allows.
 */
class GeneratorCacheReuseTest {

    private static final List<int[]> THREE = List.of(
            new int[] {1, 203, 207, 261, 178, 300}, new int[] {1}, new int[] {1, 50, 55});
    private static final List<int[]> TWO = List.of(new int[] {1, 88}, new int[] {1, 13, 9});

    private static Llama stories;

    @BeforeAll
    static void load() {
        stories = Llama.load(Fixtures.shipped("stories260k"));
    }

    @AfterAll
    static void close() {
        stories.close();
    }

    /** Prefills of up to 0 tokens in Java continue from the engine's; of up to 64, all Java. */
    @ParameterizedTest
    @ValueSource(ints = {0, 64})
    void staleArraysChangeNoToken(int javaPrefillTokens) {
        Generator reused = new Generator(stories, DecodeBackend.JAVA, javaPrefillTokens);
        SamplingParams long30 = SamplingParams.sample(30, 0.9, 3);
        SamplingParams twoRows = SamplingParams.sample(30, 0.9, 4); // 2 x 33 slots, not 3 x 36

        assertSameAsNew(reused, THREE, long30, javaPrefillTokens);
        JavaKvCache first = reused.spareCache();
        assertThat(first).as("kept for the next generation").isNotNull();
        // fewer rows and slots: the larger arrays, laid out anew, over the last run's values
        assertSameAsNew(reused, TWO, twoRows, javaPrefillTokens);
        assertThat(reused.spareCache().sharesArraysWith(first)).as("arrays taken over").isTrue();
        assertSameAsNew(reused, THREE, long30, javaPrefillTokens);
        assertThat(reused.spareCache().sharesArraysWith(first)).isTrue();
        // rows that end at different steps: the cache keeps the others' rows, moved down
        int[] row0 = reused.generate(THREE, long30, Set.of(), StopCondition.NONE).get(0)
                .tokenIds();
        Set<Integer> endOfSequence = Set.of(row0[4]);
        List<Generation> ended = assertSameAsNew(reused, THREE, long30, endOfSequence,
                javaPrefillTokens);
        assertThat(ended.get(0).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(ended).extracting(Generation::finishReason).contains(FinishReason.LENGTH);
        assertThat(reused.spareCache().sharesArraysWith(first)).isTrue();
        // more slots than the arrays hold: new ones
        assertSameAsNew(reused, THREE, SamplingParams.sample(60, 0.9, 5), javaPrefillTokens);
        assertThat(reused.spareCache().sharesArraysWith(first)).as("outgrown").isFalse();
        // far fewer: the large arrays are let go rather than kept
        JavaKvCache large = reused.spareCache();
        assertSameAsNew(reused, TWO, SamplingParams.sample(3, 0.9, 6), javaPrefillTokens);
        assertThat(reused.spareCache().sharesArraysWith(large)).as("let go").isFalse();
    }

    private static void assertSameAsNew(Generator reused, List<int[]> prompts,
            SamplingParams params, int javaPrefillTokens) {
        assertSameAsNew(reused, prompts, params, Set.of(), javaPrefillTokens);
    }

    private static List<Generation> assertSameAsNew(Generator reused, List<int[]> prompts,
            SamplingParams params, Set<Integer> endOfSequence, int javaPrefillTokens) {
        List<Generation> again = reused.generate(prompts, params, endOfSequence,
                StopCondition.NONE);
        List<Generation> fresh = new Generator(stories, DecodeBackend.JAVA, javaPrefillTokens)
                .generate(prompts, params, endOfSequence, StopCondition.NONE);
        assertThat(again).hasSameSizeAs(fresh);
        for (int b = 0; b < fresh.size(); b++) {
            assertThat(again.get(b).tokenIds()).as("row %d", b)
                    .containsExactly(fresh.get(b).tokenIds());
            float[] expected = fresh.get(b).logprobs();
            float[] actual = again.get(b).logprobs();
            for (int t = 0; t < expected.length; t++) {
                assertThat(actual[t]).as("row %d, token %d", b, t)
                        .isCloseTo(expected[t], within(1e-4f));
            }
        }
        return again;
    }
}
