package ai.collectiveagency.policy.lora;

import static ai.collectiveagency.policy.lora.LoraFixtures.randomizeB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.ParameterNames;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Projections of one input share LoRA's down-projection: x·[A_q; A_k; A_v]ᵀ once, each B on its
 * own columns. Their contributions, and the gradients of every A, B and of x, must be those of
 * each projection applied alone; an untargeted projection among them gets none.
 */
class LoraStackedProjectionsTest {

    @Test
    void stackedProjectionsGiveEachProjectionsOwnDeltaAndGradients() {
        List<String> prefixes = List.of(ParameterNames.projection(1, "q_proj"),
                ParameterNames.projection(1, "k_proj"), ParameterNames.projection(1, "v_proj"));
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8)
                        .withTargetModules(List.of("q_proj", "v_proj", "up_proj")));
                NDManager m = OfflineEngine.manager().newSubManager()) {
            randomizeB(lora, 5, 0.1f);
            lora.setTrainable(true);
            NDArray x = m.randomNormal(new Shape(2, 5, 64));
            x.setRequiresGradient(true);

            Map<String, float[]> stacked = run(lora, x, adapter -> adapter.applyAll(prefixes, x));
            Map<String, float[]> alone = run(lora, x, adapter -> prefixes.stream()
                    .map(prefix -> adapter.apply(prefix, x)).toArray(NDArray[]::new));

            assertThat(stacked.keySet()).containsExactlyElementsOf(alone.keySet())
                    .contains("delta 0", "delta 2", "x").doesNotContain("delta 1");
            alone.forEach((name, expected) -> {
                float[] actual = stacked.get(name);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("%s[%d]", name, i)
                            .isCloseTo(expected[i], within(1e-5f + 1e-5f * Math.abs(expected[i])));
                }
            });
        }
    }

    /** The deltas, and the gradients of Σ delta·c with c = 1, 2, 3 for each projection. */
    private static Map<String, float[]> run(LoraAdapter lora, NDArray x,
            Function<LoraAdapter, NDArray[]> deltas) {
        Map<String, float[]> out = new LinkedHashMap<>();
        lora.parameters().values().forEach(p -> p.getGradient().muli(0));
        x.getGradient().muli(0);
        try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
            NDArray[] values = deltas.apply(lora);
            NDList terms = new NDList();
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    out.put("delta " + i, values[i].toFloatArray());
                    terms.add(values[i].mul(i + 1).sum());
                }
            }
            NDArray loss = terms.get(0);
            for (int i = 1; i < terms.size(); i++) {
                loss = loss.add(terms.get(i));
            }
            collector.backward(loss);
        }
        lora.parameters().forEach((name, p) -> {
            if (name.contains("layers.1.self_attn")) {
                out.put(name, p.getGradient().toFloatArray());
            }
        });
        out.put("x", x.getGradient().toFloatArray());
        return out;
    }
}
