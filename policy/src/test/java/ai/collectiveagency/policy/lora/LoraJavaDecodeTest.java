package ai.collectiveagency.policy.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.sampling.DecodeBackend;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.Generator;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.policy.sampling.StopCondition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The Java decoder merges an installed LoRA adapter into its weights, as the engine applies it. */
class LoraJavaDecodeTest {

    private static final SamplingParams GREEDY = SamplingParams.greedy(20);

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("stories260k", List.of(new int[] {1, 403, 407}, new int[] {1})),
                Arguments.of("qwen3-tiny-random", // per-head q/k norms, head_dim 16 != 40 / 4
                        List.of(new int[] {119, 101, 302}, new int[] {268})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void javaDecodingWithAnAdapterMatchesTheEngine(String fixture, List<int[]> prompts) {
        try (Llama model = Llama.load(Fixtures.shipped(fixture));
                LoraAdapter adapter = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
            Generator java = new Generator(model, DecodeBackend.JAVA);
            List<Generation> base = java.generate(prompts, GREEDY, Set.of(), StopCondition.NONE);
            LoraFixtures.randomizeB(adapter, 3, 0.05f);
            model.setAdapter(adapter);

            List<Generation> expected = new Generator(model, DecodeBackend.ENGINE)
                    .generate(prompts, GREEDY, Set.of(), StopCondition.NONE);
            List<Generation> actual = java.generate(prompts, GREEDY, Set.of(),
                    StopCondition.NONE); // the same generator: it retakes its snapshot

            assertThat(expected.get(0).logprobs()).isNotEqualTo(base.get(0).logprobs());
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(actual.get(i).tokenIds()).containsExactly(expected.get(i).tokenIds());
                assertThat(actual.get(i).logprobs())
                        .containsExactly(expected.get(i).logprobs(), within(1e-4f));
            }
        }
    }
}
