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
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

/** The Java decoder merges an installed LoRA adapter into its weights, as the engine applies it. */
class LoraJavaDecodeTest {

    private static final List<int[]> PROMPTS = List.of(new int[] {1, 403, 407}, new int[] {1});
    private static final SamplingParams GREEDY = SamplingParams.greedy(20);

    @Test
    void javaDecodingWithAnAdapterMatchesTheEngine() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter adapter = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
            Generator java = new Generator(model, DecodeBackend.JAVA);
            List<Generation> base = java.generate(PROMPTS, GREEDY, Set.of(), StopCondition.NONE);
            LoraFixtures.randomizeB(adapter, 3, 0.05f);
            model.setAdapter(adapter);

            List<Generation> expected = new Generator(model, DecodeBackend.ENGINE)
                    .generate(PROMPTS, GREEDY, Set.of(), StopCondition.NONE);
            List<Generation> actual = java.generate(PROMPTS, GREEDY, Set.of(),
                    StopCondition.NONE); // the same generator: it retakes its snapshot

            assertThat(expected.get(0).logprobs()).isNotEqualTo(base.get(0).logprobs());
            for (int i = 0; i < PROMPTS.size(); i++) {
                assertThat(actual.get(i).tokenIds()).containsExactly(expected.get(i).tokenIds());
                assertThat(actual.get(i).logprobs())
                        .containsExactly(expected.get(i).logprobs(), within(1e-4f));
            }
        }
    }
}
