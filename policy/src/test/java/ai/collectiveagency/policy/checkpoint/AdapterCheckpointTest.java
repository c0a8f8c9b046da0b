package ai.collectiveagency.policy.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.LoraConfig;
import ai.collectiveagency.policy.model.Llama;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Adapter checkpoints: PEFT's two files plus a manifest, verified on load. */
class AdapterCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void savedAdapterVerifiesAndLoadsBitIdentical() throws Exception {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(2, 4))) {
            AdapterCheckpoint.save(lora, dir, "stories260k");
            assertThat(fileNames(dir)).containsExactlyInAnyOrder("adapter_config.json",
                    "adapter_model.safetensors", "manifest.json");
            try (LoraAdapter loaded = AdapterCheckpoint.load(dir, model)) {
                lora.parameters().forEach((name, array) -> assertThat(
                        loaded.parameters().get(name).toFloatArray()).as(name)
                        .containsExactly(array.toFloatArray()));
            }
        }
    }

    @Test
    void tamperedAdapterIsRefusedNamingTheFile() throws Exception {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"));
                LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(2, 4))) {
            AdapterCheckpoint.save(lora, dir, "stories260k");
            Path weights = dir.resolve("adapter_model.safetensors");
            byte[] bytes = Files.readAllBytes(weights);
            bytes[bytes.length - 1] ^= 1;
            Files.write(weights, bytes);
            assertThatThrownBy(() -> AdapterCheckpoint.load(dir, model))
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageStartingWith(weights + ": sha256");
        }
    }

    private static List<String> fileNames(Path folder) throws IOException {
        try (Stream<Path> paths = Files.list(folder)) {
            return paths.map(p -> p.getFileName().toString()).toList();
        }
    }
}
