package ai.collectiveagency.policy.lora;

import static ai.collectiveagency.policy.lora.LoraFixtures.logits;
import static ai.collectiveagency.policy.lora.LoraFixtures.randomizeB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.checkpoint.ModelFolderException;
import ai.collectiveagency.policy.checkpoint.SafetensorsFile;
import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Adapters round-trip through PEFT's files, under PEFT's names, and only onto their model. */
class PeftAdapterFilesTest {

    @TempDir
    Path dir;

    @Test
    void savedAdapterLoadsBitIdenticalWithIdenticalLogits() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
            randomizeB(lora, 13, 0.01f);
            model.setAdapter(lora);
            float[] expected = logits(model, true);
            PeftAdapterFiles.save(lora, dir, "stories260k");
            try (LoraAdapter loaded = PeftAdapterFiles.load(dir, model)) {
                assertThat(loaded.config()).isEqualTo(lora.config());
                assertThat(loaded.parameters()).containsOnlyKeys(lora.parameters().keySet());
                lora.parameters().forEach((name, array) -> assertThat(
                        loaded.parameters().get(name).toFloatArray()).as(name)
                        .containsExactly(array.toFloatArray()));
                model.setAdapter(loaded);
                assertThat(logits(model, true)).containsExactly(expected);
            }
        }
    }

    @Test
    void filesUsePeftsTensorNamesAndConfigFields() throws Exception {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model,
                        LoraConfig.of(4, 8).withTargetModules(List.of("v_proj", "q_proj")))) {
            PeftAdapterFiles.save(lora, dir, "stories260k");
        }
        try (SafetensorsFile weights = SafetensorsFile.open(dir.resolve(
                "adapter_model.safetensors"))) {
            assertThat(weights.tensors()).hasSize(5 * 2 * 2).containsKeys(
                    "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                    "base_model.model.model.layers.4.self_attn.v_proj.lora_B.weight");
            assertThat(weights.tensors().get(
                    "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").shape())
                    .containsExactly(4, 64);
            assertThat(weights.tensors().get(
                    "base_model.model.model.layers.4.self_attn.v_proj.lora_B.weight").shape())
                    .containsExactly(32, 4); // 4 KV heads of width 8
        }
        JsonNode config = new ObjectMapper().readTree(dir.resolve("adapter_config.json")
                .toFile());
        assertThat(config.path("peft_type").asText()).isEqualTo("LORA");
        assertThat(config.path("task_type").asText()).isEqualTo("CAUSAL_LM");
        assertThat(config.path("r").isInt()).isTrue();
        assertThat(config.path("r").asInt()).isEqualTo(4);
        assertThat(config.path("lora_alpha").isIntegralNumber()).isTrue();
        assertThat(config.path("lora_alpha").asInt()).isEqualTo(8);
        assertThat(config.path("lora_dropout").asDouble()).isZero();
        assertThat(config.path("bias").asText()).isEqualTo("none");
        assertThat(config.path("fan_in_fan_out").asBoolean()).isFalse();
        assertThat(config.path("inference_mode").asBoolean()).isTrue();
        assertThat(config.path("base_model_name_or_path").asText()).isEqualTo("stories260k");
        assertThat(config.path("target_modules")).extracting(JsonNode::asText)
                .containsExactly("q_proj", "v_proj");
    }

    @Test
    void qwen3AdapterTakesItsShapesFromHeadDimAndReloadsToIdenticalLogits() throws Exception {
        int[][] tokens = {{119, 101, 302, 268, 351, 259, 264, 324}};
        int[][] mask = {LoraFixtures.ones(tokens[0].length)};
        try (Llama model = Llama.load(Fixtures.shipped("qwen3-tiny-random"));
                LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
            randomizeB(lora, 17, 0.05f);
            model.setAdapter(lora);
            float[] expected = logits(model, tokens, mask);
            model.setAdapter(null);
            assertThat(logits(model, tokens, mask)).isNotEqualTo(expected);
            PeftAdapterFiles.save(lora, dir, "qwen3-tiny-random");
            try (LoraAdapter loaded = PeftAdapterFiles.load(dir, model)) {
                model.setAdapter(loaded);
                assertThat(logits(model, tokens, mask)).containsExactly(expected);
            }
        }
        try (SafetensorsFile weights = SafetensorsFile.open(dir.resolve(
                "adapter_model.safetensors"))) {
            String layer = "base_model.model.model.layers.2.";
            // head_dim 16: q is 4 heads x 16 = 64 wide, not the hidden size 40
            assertThat(weights.tensors().get(layer + "self_attn.q_proj.lora_B.weight").shape())
                    .containsExactly(64, 4);
            assertThat(weights.tensors().get(layer + "self_attn.k_proj.lora_B.weight").shape())
                    .containsExactly(32, 4);
            assertThat(weights.tensors().get(layer + "self_attn.o_proj.lora_A.weight").shape())
                    .containsExactly(4, 64);
            assertThat(weights.tensors().get(layer + "self_attn.o_proj.lora_B.weight").shape())
                    .containsExactly(40, 4);
            assertThat(weights.tensors()).hasSize(3 * 7 * 2)
                    .allSatisfy((name, tensor) -> assertThat(name).doesNotContain("_norm"));
        }
        JsonNode config = new ObjectMapper().readTree(dir.resolve("adapter_config.json")
                .toFile());
        assertThat(config.path("target_modules")).extracting(JsonNode::asText).containsExactly(
                "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
    }

    @Test
    void adapterOfADifferentlyShapedModelIsRefusedNamingTheTensor() {
        try (Llama qwen = Llama.load(Fixtures.shipped("qwen2-tiny-random"));
                LoraAdapter lora = LoraAdapter.initialize(qwen, LoraConfig.of(4, 8))) {
            PeftAdapterFiles.save(lora, dir, "qwen2-tiny-random");
        }
        try (Llama stories = Llama.load(Fixtures.shipped("stories260k"))) {
            assertThatThrownBy(() -> PeftAdapterFiles.load(dir, stories))
                    .isInstanceOf(ModelFolderException.class)
                    .hasMessageContaining("adapter_model.safetensors")
                    .hasMessageContaining(
                            "'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight'")
                    .hasMessageContaining("[4, 48]");
        }
    }

    @Test
    void adapterWithMoreLayersThanTheModelIsRefusedNamingTheTensor() {
        try (Llama stories = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(stories, LoraConfig.of(4, 8))) {
            PeftAdapterFiles.save(lora, dir, "stories260k");
        }
        try (Llama qwen = Llama.load(Fixtures.shipped("qwen2-tiny-random"))) {
            assertThatThrownBy(() -> PeftAdapterFiles.load(dir, qwen))
                    .isInstanceOf(ModelFolderException.class)
                    .hasMessageContaining("adapter_model.safetensors: tensor 'base_model.model"
                            + ".model.layers.2.");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "use_rslora     | true              | 'use_rslora' is true",
        "use_dora       | true              | 'use_dora' is true",
        "peft_type      | \"PREFIX_TUNING\"   | only LoRA adapters",
        "bias           | \"all\"             | LoRA biases are not supported",
        "target_modules | [\"lm_head\"]       | unsupported module 'lm_head'"})
    void unsupportedPeftOptionsAreRefusedNamingTheFile(String key, String json, String message)
            throws Exception {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"))) {
            try (LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
                PeftAdapterFiles.save(lora, dir, null);
            }
            Path configFile = dir.resolve("adapter_config.json");
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode config = (ObjectNode) mapper.readTree(configFile.toFile());
            config.set(key, mapper.readTree(json));
            Files.writeString(configFile, config.toString());
            assertThatThrownBy(() -> PeftAdapterFiles.load(dir, model))
                    .isInstanceOf(ModelFolderException.class)
                    .hasMessageContaining("adapter_config.json")
                    .hasMessageContaining(message);
        }
    }
}
