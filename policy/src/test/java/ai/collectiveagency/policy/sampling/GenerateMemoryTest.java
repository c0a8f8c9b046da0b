package ai.collectiveagency.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.model.KvCache;
import ai.collectiveagency.policy.model.LinearAdapter;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Memory of generation stays bounded, counted in live NDArrays rather than resident memory (which
 * the allocator's caches make noisy). A forward pass used to keep every block's temporaries until
 * its step ended: a prefill of 16 x ~250 tokens through 14 blocks of a 40M model peaked at 5 GB
 * of native memory. Each block now frees its own (see Llama#block).
 */
class GenerateMemoryTest {

    private static final int LAYERS = 6;

    private static NDManager root;
    private static Llama model;

    @BeforeAll
    static void load() {
        root = OfflineEngine.manager();
        model = RandomWeights.model(new LlamaConfig("qwen2", 32, 48, LAYERS, 4, 2, 8, 64, 128,
                1e-6, 1e6, true, true, null), 3, root);
    }

    @AfterAll
    static void close() {
        model.close();
        root.close();
    }

    @Test
    void aForwardPassHoldsOneBlocksTemporariesAtATime() {
        int[] live = new int[LAYERS];
        LinearAdapter counter = (prefix, x) -> {
            for (int layer = 0; layer < LAYERS; layer++) {
                if (prefix.equals("model.layers." + layer + ".self_attn.q_proj")) {
                    live[layer] = liveArrays();
                }
            }
            return null;
        };
        int[][] tokens = {{5, 6, 7, 8, 9, 10}, {0, 0, 11, 12, 13, 14}};
        int[][] attention = {{1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1}};
        model.setAdapter(counter);
        try (NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            model.forward(manager, tokens, attention, null, false, true);
        } finally {
            model.setAdapter(null);
        }
        // From the second block on, what is alive when a block starts is the same: the inputs,
        // the previous block's output and the parameters, not the temporaries of earlier blocks.
        for (int layer = 2; layer < LAYERS; layer++) {
            assertThat(live[layer]).as("live arrays entering block %d (all: %s)", layer,
                    Arrays.toString(live)).isLessThanOrEqualTo(live[1]);
        }
    }

    @ParameterizedTest
    @EnumSource(DecodeBackend.class)
    void repeatedGenerateCallsLeaveNoArraysBehind(DecodeBackend backend) {
        Generator generator = new Generator(model, backend);
        int before = liveArrays();
        for (int call = 0; call < 5; call++) {
            int shift = call;
            List<int[]> prompts = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                int[] prompt = new int[10 + 7 * b];
                Arrays.setAll(prompt, t -> (t * 13 + shift) % 64);
                prompts.add(prompt);
            }
            generator.generate(prompts, SamplingParams.sample(8, 1.0, call), Set.of(3),
                    StopCondition.NONE);
            assertThat(liveArrays()).as("live arrays after call %d", call).isEqualTo(before);
        }
    }

    @Test
    void anEngineCacheOwnsOnlyItsKeysAndValues() {
        int before = liveArrays();
        try (NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager();
                KvCache cache = new KvCache(LAYERS)) {
            EngineDecodeSteps.step(model, manager, new int[][] {{1, 2, 3}}, new int[][] {{1, 1, 1}},
                    cache, SamplingParams.greedy(1), new float[1]);
            assertThat(liveArrays()).isEqualTo(before + 2 * LAYERS);
        }
        assertThat(liveArrays()).isEqualTo(before);
    }

    private static int liveArrays() {
        List<NDArray> arrays = root.getManagedArrays();
        return arrays.size();
    }
}
