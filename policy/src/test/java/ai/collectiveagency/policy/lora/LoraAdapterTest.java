package ai.collectiveagency.policy.lora;

import static ai.collectiveagency.policy.lora.LoraFixtures.logits;
import static ai.collectiveagency.policy.lora.LoraFixtures.maxAbsDifference;
import static ai.collectiveagency.policy.lora.LoraFixtures.randomizeB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.ParameterNames;
import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** LoRA's forward contribution, initialisation and merge on the stories260k model. */
class LoraAdapterTest {

    private static final String Q_PROJ_A =
            "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";

    @Test
    void freshAdapterLeavesLogitsUnchanged() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"))) {
            float[] base = logits(model, true);
            try (LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
                model.setAdapter(lora);
                assertThat(logits(model, true)).containsExactly(base);
            }
        }
    }

    @Test
    void trainedAdapterChangesLogitsAndDisablingItGivesTheBaseModel() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"))) {
            float[] base = logits(model, true);
            try (LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
                model.setAdapter(lora);
                randomizeB(lora, 7, 0.05f);
                assertThat(maxAbsDifference(logits(model, true), base)).isGreaterThan(1e-3f);
                assertThat(logits(model, false)).containsExactly(base);
            }
        }
    }

    @Test
    void initialisationIsPeftsKaimingUniformAndZeroB() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8));
                LoraAdapter same = LoraAdapter.initialize(model, LoraConfig.of(4, 8));
                LoraAdapter other = LoraAdapter.initialize(model,
                        LoraConfig.of(4, 8).withSeed(1))) {
            Map<String, NDArray> parameters = lora.parameters();
            assertThat(parameters).hasSize(5 * 7 * 2);
            float bound = (float) (1 / Math.sqrt(64)); // q_proj's fan-in is the model width
            float[] a = parameters.get(Q_PROJ_A).toFloatArray();
            assertThat(a).hasSize(4 * 64);
            for (float v : a) {
                assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
            }
            assertThat(parameters.get(Q_PROJ_A.replace("lora_A", "lora_B")).getShape().getShape())
                    .containsExactly(64, 4);
            parameters.forEach((name, array) -> {
                if (name.endsWith("lora_B.weight")) {
                    assertThat(LoraFixtures.sumAbs(array)).as(name).isZero();
                }
            });
            assertThat(same.parameters().get(Q_PROJ_A).toFloatArray()).containsExactly(a);
            assertThat(other.parameters().get(Q_PROJ_A).toFloatArray()).isNotEqualTo(a);
        }
    }

    @Test
    void untargetedProjectionsGetNoUpdate() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model,
                        LoraConfig.of(2, 4).withTargetModules(List.of("v_proj", "q_proj")));
                var step = model.newStepManager()) {
            NDArray x = step.ones(new ai.djl.ndarray.types.Shape(1, 3, 64));
            assertThat(lora.apply(ParameterNames.projection(0, "k_proj"), x)).isNull();
            assertThat(lora.apply(ParameterNames.projection(0, "q_proj"), x).getShape().getShape())
                    .containsExactly(1, 3, 64);
            assertThat(lora.config().targetModules()).containsExactly("q_proj", "v_proj");
            assertThat(lora.parameters()).hasSize(5 * 2 * 2);
        }
    }

    @Test
    void mergedWeightsAreWPlusScaledBTimesA() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
            randomizeB(lora, 5, 0.01f);
            try (Llama merged = LoraMerge.merged(model, lora)) {
                for (String prefix : List.of(ParameterNames.projection(0, "q_proj"),
                        ParameterNames.projection(4, "down_proj"))) {
                    float[] expected = mergedInDouble(model, lora, prefix);
                    float[] actual = merged.parameters().get(prefix + ".weight").toFloatArray();
                    assertThat(maxAbsDifference(actual, expected)).as(prefix)
                            .isLessThan(1e-7f);
                }
            }
        }
    }

    @Test
    void mergedModelMatchesTheAdapterAndLeavesTheBaseUnchanged() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
            float[] base = logits(model, false);
            float[] baseQ = model.parameters().get(ParameterNames.projection(0, "q_proj")
                    + ".weight").toFloatArray();
            model.setAdapter(lora);
            randomizeB(lora, 11, 0.01f);
            float[] adapted = logits(model, true);
            assertThat(maxAbsDifference(adapted, base)).isGreaterThan(1f);
            try (Llama merged = LoraMerge.merged(model, lora)) {
                assertThat(merged.adapter()).isNull();
                // Measured float32 floor on this model (logits up to ~13): re-rounding the
                // weights alone moves logits by ~4e-5, even for an update that shifts them by
                // 4e-4; so 1e-5 is unreachable, and 1e-4 is the fixtures' float32 tolerance.
                assertThat(maxAbsDifference(logits(merged, false), adapted)).isLessThan(1e-4f);
            }
            assertThat(model.parameters().get(ParameterNames.projection(0, "q_proj")
                    + ".weight").toFloatArray()).containsExactly(baseQ);
            assertThat(logits(model, false)).containsExactly(base);
        }
    }

    /** float32(W + scaling · B·A), summed in double on the CPU, independently of the engine. */
    private static float[] mergedInDouble(Llama model, LoraAdapter lora, String prefix) {
        NDArray weight = model.parameters().get(prefix + ".weight");
        float[] w = weight.toFloatArray();
        float[] a = lora.parameters().get(PeftKeys.loraA(prefix)).toFloatArray();
        float[] b = lora.parameters().get(PeftKeys.loraB(prefix)).toFloatArray();
        int out = (int) weight.getShape().get(0);
        int in = (int) weight.getShape().get(1);
        int rank = lora.config().rank();
        float[] merged = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int k = 0; k < rank; k++) {
                    sum += (double) b[o * rank + k] * a[k * in + i];
                }
                merged[o * in + i] = (float) (w[o * in + i] + lora.config().scaling() * sum);
            }
        }
        return merged;
    }

    @Test
    void invalidConfigsAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> LoraConfig.of(0, 8)).hasMessageContaining("rank r");
        assertThatThrownBy(() -> LoraConfig.of(4, 8).withTargetModules(List.of("lm_head")))
                .hasMessageContaining("target_modules: unsupported module 'lm_head'");
        assertThatThrownBy(() -> new LoraConfig(4, 8, 1.5, ParameterNames.PROJECTIONS, 0))
                .hasMessageContaining("lora_dropout");
        assertThat(LoraConfig.of(8, 16).scaling()).isEqualTo(2.0);
    }

    @Test
    void trainingWithDropoutIsRefused() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model,
                        new LoraConfig(4, 8, 0.05, ParameterNames.PROJECTIONS, 0))) {
            assertThatThrownBy(() -> lora.setTrainable(true))
                    .hasMessageContaining("lora_dropout is 0.05");
        }
    }
}
