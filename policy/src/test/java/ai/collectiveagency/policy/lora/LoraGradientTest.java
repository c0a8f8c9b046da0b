package ai.collectiveagency.policy.lora;

import static ai.collectiveagency.policy.lora.LoraFixtures.MASK;
import static ai.collectiveagency.policy.lora.LoraFixtures.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

/** Back-propagation through the adapter reaches A and B and nothing of the frozen base. */
class LoraGradientTest {

    @Test
    void freshAdapterGetsGradientsOnBOnlyAndTheBaseNone() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
            model.setAdapter(lora);
            lora.setTrainable(true);
            Map<String, Float> gradients = gradientSums(model, lora);
            gradients.forEach((name, sum) -> {
                if (name.endsWith("lora_B.weight")) {
                    assertThat(sum).as(name).isGreaterThan(0f);
                } else {
                    assertThat(sum).as("%s: zero while B is zero", name).isZero();
                }
            });
            model.parameters().asMap().forEach((name, weight) ->
                    assertThat(weight.hasGradient()).as(name).isFalse());
        }
    }

    @Test
    void trainedAdapterGetsGradientsOnAAndB() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
            model.setAdapter(lora);
            LoraFixtures.randomizeB(lora, 3, 0.05f);
            lora.setTrainable(true);
            assertThat(gradientSums(model, lora)).hasSize(5 * 7 * 2)
                    .allSatisfy((name, sum) -> assertThat(sum).as(name).isGreaterThan(0f));
        }
    }

    /** Sum of |gradient| of every adapter parameter for the negative log-likelihood. */
    private static Map<String, Float> gradientSums(Llama model, LoraAdapter lora) {
        Map<String, Float> sums = new TreeMap<>();
        try (NDManager step = model.newStepManager();
                GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
            NDArray loss = new TokenScorer(model).score(step, TOKENS, MASK, true, false)
                    .logprobs().sum().neg();
            collector.backward(loss);
            lora.parameters().forEach((name, array) -> {
                try (NDArray gradient = array.getGradient()) {
                    sums.put(name, LoraFixtures.sumAbs(gradient));
                }
            });
        }
        return sums;
    }
}
