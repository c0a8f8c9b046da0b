package ai.collectiveagency.policy.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whole models saved in Hugging Face layout load back bit for bit. */
class ModelCheckpointTest {

    private static final int[][] TOKENS = {{1, 45, 300, 12, 99, 7, 200, 31}};
    private static final int[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1}};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"stories260k", "qwen2-tiny-random", "qwen3-tiny-random"})
    void savedModelLoadsBitIdenticalWithIdenticalLogits(String fixture) {
        Path saved = dir.resolve("checkpoint");
        try (Llama original = Llama.load(Fixtures.shipped(fixture))) {
            ModelCheckpoint.save(saved, original.config(), original.parameters(),
                    Fixtures.shipped(fixture));
            try (Llama loaded = ModelCheckpoint.load(saved)) {
                assertThat(loaded.config()).isEqualTo(original.config());
                assertThat(loaded.parameters().asMap())
                        .containsOnlyKeys(original.parameters().asMap().keySet());
                original.parameters().asMap().forEach((name, array) -> assertThat(
                        loaded.parameters().get(name).toFloatArray()).as(name)
                        .containsExactly(array.toFloatArray()));
                assertThat(logits(loaded)).containsExactly(logits(original));
            }
        }
    }

    @Test
    void tokenizerFilesAndConfigExtrasAreCarriedOver() throws Exception {
        Path source = Fixtures.shipped("qwen2-tiny-random");
        try (Llama model = Llama.load(source)) {
            ModelCheckpoint.save(dir, model.config(), model.parameters(), source);
        }
        for (String name : new String[] {"tokenizer.json", "tokenizer_config.json",
                "generation_config.json"}) {
            assertThat(Files.readAllBytes(dir.resolve(name))).as(name)
                    .isEqualTo(Files.readAllBytes(source.resolve(name)));
        }
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertThat(config.path("architectures").get(0).asText()).isEqualTo("Qwen2ForCausalLM");
        assertThat(config.path("model_type").asText()).isEqualTo("qwen2");
        assertThat(config.path("eos_token_id").asInt()).isEqualTo(378);
        assertThat(config.path("torch_dtype").asText()).isEqualTo("float32");
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        assertThat(manifest.path("files").fieldNames()).toIterable().containsExactly(
                "config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json");
    }

    @Test
    void configWrittenWithoutASourceNamesTheArchitecture() throws Exception {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"))) {
            ModelCheckpoint.save(dir, model.config(), model.parameters());
        }
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertThat(config.path("architectures").get(0).asText()).isEqualTo("LlamaForCausalLM");
        assertThat(config.path("tie_word_embeddings").asBoolean()).isTrue();
        assertThat(config.path("num_key_value_heads").asInt()).isEqualTo(4);
        try (Llama loaded = ModelCheckpoint.load(dir)) {
            assertThat(loaded.config().numLayers()).isEqualTo(5);
        }
    }

    @Test
    void qwen3ConfigWrittenWithoutASourceKeepsItsTypeAndHeadDim() throws Exception {
        try (Llama model = Llama.load(Fixtures.shipped("qwen3-tiny-random"))) {
            ModelCheckpoint.save(dir, model.config(), model.parameters());
            JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
            assertThat(config.path("architectures").get(0).asText())
                    .isEqualTo("Qwen3ForCausalLM");
            assertThat(config.path("model_type").asText()).isEqualTo("qwen3");
            assertThat(config.path("head_dim").asInt()).isEqualTo(16); // not 40 / 4
            assertThat(config.path("attention_bias").asBoolean()).isFalse();
            try (Llama loaded = ModelCheckpoint.load(dir)) {
                assertThat(loaded.config()).isEqualTo(model.config());
                assertThat(logits(loaded)).containsExactly(logits(model));
            }
        }
    }

    @Test
    void savingIntoAFolderWithFilesIsRefused() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "earlier run");
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"))) {
            assertThatThrownBy(() -> ModelCheckpoint.save(dir, model.config(),
                    model.parameters()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("not empty");
        }
    }

    private static float[] logits(Llama model) {
        try (NDManager step = model.newStepManager()) {
            return model.forward(step, TOKENS, MASK, null, false, false).toFloatArray();
        }
    }
}
