package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.Generator;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.policy.sampling.StopCondition;
import ai.collectiveagency.policy.scoring.TokenScorer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The forward pass, generation and scoring against llama2.c's stories260K reference (a numpy
 * port), within 1e-4.
 */
class Stories260kParityTest {

    static List<Path> fixtures() {
        return Fixtures.cases("stories260k");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void logitsMatchTheReference(Path dir) throws Exception {
        JsonNode expected = Json.expected(dir)
                .path("logits");
        int[] ids = Json.ints(expected.path("input_ids"));
        try (Llama model = Llama.load(dir); NDManager step = model.newStepManager()) {
            NDArray logits = model.forward(step, new int[][] {ids}, new int[][] {ones(ids.length)},
                    null, false, false);
            Json.assertRowsClose(logits.toFloatArray(), model.config().vocabSize(),
                    expected.path("logits"), 1e-4f);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void greedyIdsMatchTheReferenceExactly(Path dir) throws Exception {
        JsonNode cases = Json.expected(dir)
                .path("greedy");
        try (Llama model = Llama.load(dir)) {
            Generator generator = new Generator(model);
            for (JsonNode c : cases) {
                List<Generation> out = generator.generate(List.of(Json.ints(c.path("prompt_ids"))),
                        SamplingParams.greedy(c.path("max_new_tokens").asInt()), Set.of(),
                        StopCondition.NONE);
                assertThat(out.get(0).tokenIds()).containsExactly(Json.ints(c.path("ids")));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void greedyIdsAreTheSameWhenPromptsShareABatch(Path dir) throws Exception {
        JsonNode cases = Json.expected(dir)
                .path("greedy");
        List<int[]> prompts = new ArrayList<>();
        int shortest = Integer.MAX_VALUE;
        for (JsonNode c : cases) {
            prompts.add(Json.ints(c.path("prompt_ids")));
            shortest = Math.min(shortest, c.path("max_new_tokens").asInt());
        }
        try (Llama model = Llama.load(dir)) {
            List<Generation> out = new Generator(model).generate(prompts,
                    SamplingParams.greedy(shortest), Set.of(), StopCondition.NONE);
            for (int i = 0; i < prompts.size(); i++) {
                int[] expected = Json.ints(cases.get(i).path("ids"));
                assertThat(out.get(i).tokenIds())
                        .containsExactly(java.util.Arrays.copyOf(expected, shortest));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void leftPaddingDoesNotChangeLastPositionLogprobs(Path dir) throws Exception {
        JsonNode batch = Json.expected(dir)
                .path("left_padded_batch");
        int[][] ids = rows(batch.path("input_ids"));
        int[][] mask = rows(batch.path("attention_mask"));
        try (Llama model = Llama.load(dir); NDManager step = model.newStepManager()) {
            NDArray logprobs = model.forward(step, ids, mask, null, true, false).logSoftmax(-1);
            Json.assertRowsClose(logprobs.toFloatArray(), model.config().vocabSize(),
                    batch.path("last_logprobs"), 1e-4f);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void teacherForcedLogprobsMatchTheReference(Path dir) throws Exception {
        JsonNode expected = Json.expected(dir)
                .path("token_logprobs");
        int[] ids = Json.ints(expected.path("input_ids"));
        try (Llama model = Llama.load(dir)) {
            float[][] actual = new TokenScorer(model).logprobs(new int[][] {ids},
                    new int[][] {ones(ids.length)});
            float[] reference = Json.floats(expected.path("logprob_of_next"));
            assertThat(actual[0]).hasSize(reference.length);
            for (int t = 0; t < reference.length; t++) {
                assertThat(actual[0][t]).as("position %d", t)
                        .isCloseTo(reference[t], within(1e-4f));
            }
        }
    }

    static int[][] rows(JsonNode array) {
        int[][] out = new int[array.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Json.ints(array.get(i));
        }
        return out;
    }

    static int[] ones(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }
}
