package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.Generator;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.policy.sampling.StopCondition;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Qwen2 specifics (q/k/v biases, untied head, rope_theta 1e6, GQA) against a PyTorch
 * re-implementation of the Hugging Face forward pass.
 */
class Qwen2ParityTest {

    static List<Path> fixtures() {
        return Fixtures.cases("qwen2-tiny-random");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void logitsMatchTheReference(Path dir) throws Exception {
        JsonNode expected = Json.expected(dir);
        int[] ids = Json.ints(expected.path("input_ids"));
        try (Llama model = Llama.load(dir); NDManager step = model.newStepManager()) {
            float[] actual = model.forward(step, new int[][] {ids},
                    new int[][] {Stories260kParityTest.ones(ids.length)}, null, false, false)
                    .toFloatArray();
            Json.assertRowsClose(actual, model.config().vocabSize(), expected.path("logits"),
                    1e-4f);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void greedyContinuationMatchesTheReference(Path dir) throws Exception {
        JsonNode expected = Json.expected(dir);
        int[] greedy = Json.ints(expected.path("greedy"));
        try (Llama model = Llama.load(dir)) {
            Generation out = new Generator(model).generate(
                    List.of(Json.ints(expected.path("input_ids"))),
                    SamplingParams.greedy(greedy.length), Set.of(), StopCondition.NONE).get(0);
            assertThat(out.tokenIds()).containsExactly(greedy);
        }
    }
}
