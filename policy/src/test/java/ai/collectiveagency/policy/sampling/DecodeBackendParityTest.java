package ai.collectiveagency.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The JAVA decode backend gives the ENGINE backend's tokens and log-probs.
 *
 * <p>Truncated sampling sorts the vocabulary, and stories260k has many tokens whose log-probs are
 * exactly equal (near-flat rows after odd prompts). The engine's sort orders such ties
 * arbitrarily, the Java sampler by id, so a tie can swap two equally likely tokens: there the
 * sequences are compared up to the first step where they differ, which must be a tie (both
 * choices equally likely). {@link LogitSamplerTest} checks the exact choices on tie-free logits.
 */
class DecodeBackendParityTest {

    private static final List<int[]> PROMPTS = List.of(
            new int[] {1, 203, 207, 261, 178, 300}, new int[] {1}, new int[] {1, 50, 55});

    private static Llama stories;

    @BeforeAll
    static void load() {
        stories = Llama.load(Fixtures.shipped("stories260k"));
    }

    @AfterAll
    static void close() {
        stories.close();
    }

    static Stream<Path> fixtures() {
        return Stream.of("stories260k", "qwen2-tiny-random", "qwen3-tiny-random")
                .flatMap(name -> Fixtures.cases(name).stream());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void greedyLeftPaddedBatchWithEndOfSequenceMatches(Path dir) {
        try (Llama model = Llama.load(dir)) {
            List<Generation> plain = generate(model, DecodeBackend.ENGINE,
                    SamplingParams.greedy(20), Set.of());
            int eos = plain.get(0).tokenIds()[3]; // row 0 stops at its fourth token
            List<Generation> engine = generate(model, DecodeBackend.ENGINE,
                    SamplingParams.greedy(20), Set.of(eos));
            List<Generation> java = generate(model, DecodeBackend.JAVA,
                    SamplingParams.greedy(20), Set.of(eos));

            assertThat(engine.get(0).finishReason()).isEqualTo(FinishReason.STOP);
            assertSame(java, engine);
        }
    }

    /**
     * The JAVA backend prefills these short prompts itself; with its prefill bound at 0 it
     * continues from the engine's prefill instead, as it does for long prompts. Both decode the
     * same tokens as the ENGINE backend.
     */
    @ParameterizedTest
    @MethodSource("fixtures")
    void javaAndEnginePrefillsDecodeTheSame(Path dir) {
        SamplingParams params = SamplingParams.sample(20, 0.7, 5);
        try (Llama model = Llama.load(dir)) {
            List<Generation> engine = generate(model, DecodeBackend.ENGINE, params, Set.of());
            List<Generation> afterEnginePrefill = new Generator(model, DecodeBackend.JAVA, 0)
                    .generate(PROMPTS, params, Set.of(), StopCondition.NONE);
            List<Generation> javaPrefill = new Generator(model, DecodeBackend.JAVA,
                    PROMPTS.size() * 6).generate(PROMPTS, params, Set.of(), StopCondition.NONE);

            assertSame(afterEnginePrefill, engine);
            assertSame(javaPrefill, engine);
        }
    }

    @Test
    void greedyIdsMatchTheStoriesReference() throws Exception {
        Path dir = Fixtures.shipped("stories260k");
        JsonNode cases = new ObjectMapper().readTree(dir.resolve("expected.json").toFile())
                .path("greedy");
        Generator generator = new Generator(stories, DecodeBackend.JAVA);
        for (JsonNode c : cases) {
            Generation out = generator.generate(List.of(ints(c.path("prompt_ids"))),
                    SamplingParams.greedy(c.path("max_new_tokens").asInt()), Set.of(),
                    StopCondition.NONE).get(0);
            assertThat(out.tokenIds()).containsExactly(ints(c.path("ids")));
        }
    }

    @Test
    void seededTemperatureSamplingMatches() {
        SamplingParams params = SamplingParams.sample(30, 0.7, 11);
        List<Generation> engine = generate(stories, DecodeBackend.ENGINE, params, Set.of());
        List<Generation> java = generate(stories, DecodeBackend.JAVA, params, Set.of());

        assertSame(java, engine);
    }

    @Test
    void perPromptSeedsSampleTheSameOnBothBackends() {
        SamplingParams params = SamplingParams.sample(30, 0.7, 0);
        long[] seeds = new long[PROMPTS.size()];
        Arrays.setAll(seeds, i -> 100 + i);
        List<Generation> engine = new Generator(stories, DecodeBackend.ENGINE)
                .generate(PROMPTS, params, seeds, Set.of(), StopCondition.NONE);
        List<Generation> java = new Generator(stories, DecodeBackend.JAVA)
                .generate(PROMPTS, params, seeds, Set.of(), StopCondition.NONE);

        assertSame(java, engine);
    }

    static Stream<SamplingParams> truncated() {
        return Stream.of(
                new SamplingParams(30, 0.7, 0.9, 0, 12),
                new SamplingParams(30, 0.7, 1.0, 20, 13),
                new SamplingParams(30, 1.0, 0.9, 20, 14));
    }

    @ParameterizedTest
    @MethodSource("truncated")
    void seededTruncatedSamplingMatchesUpToTies(SamplingParams params) {
        List<Generation> engine = generate(stories, DecodeBackend.ENGINE, params, Set.of());
        List<Generation> java = generate(stories, DecodeBackend.JAVA, params, Set.of());

        for (int i = 0; i < engine.size(); i++) {
            int[] expected = engine.get(i).tokenIds();
            int[] actual = java.get(i).tokenIds();
            for (int t = 0; t < Math.min(expected.length, actual.length); t++) {
                float expectedLogprob = engine.get(i).logprobs()[t];
                float actualLogprob = java.get(i).logprobs()[t];
                assertThat(actualLogprob).as("row %d token %d log-prob", i, t)
                        .isCloseTo(expectedLogprob, within(1e-4f));
                if (actual[t] != expected[t]) {
                    // equally likely up to the decoders' float rounding (~1e-6)
                    assertThat(actualLogprob).as("row %d token %d: a tie", i, t)
                            .isCloseTo(expectedLogprob, within(1e-5f));
                    break;
                }
            }
        }
    }

    private static List<Generation> generate(Llama model, DecodeBackend backend,
            SamplingParams params, Set<Integer> eos) {
        return new Generator(model, backend).generate(PROMPTS, params, eos, StopCondition.NONE);
    }

    private static void assertSame(List<Generation> actual, List<Generation> expected) {
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).tokenIds()).as("row %d ids", i)
                    .containsExactly(expected.get(i).tokenIds());
            assertThat(actual.get(i).logprobs()).as("row %d log-probs", i)
                    .containsExactly(expected.get(i).logprobs(), within(1e-4f));
            assertThat(actual.get(i).finishReason()).as("row %d finish", i)
                    .isEqualTo(expected.get(i).finishReason());
        }
    }

    private static int[] ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
