package ai.collectiveagency.policy.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.ParameterNames;
import ai.collectiveagency.policy.model.RopeScaling;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** Model folders rebuilt from the stories260k fixture: dtypes, shards, and what is refused. */
class WeightsLoaderTest {

    private static final Path FIXTURE = Fixtures.shipped("stories260k");
    private static final int[] IDS = {1, 500, 505, 196, 90, 472, 56, 136, 73, 165, 275, 63};
    private static final String SHARD_1 = "model-00001-of-00002.safetensors";
    private static final String SHARD_2 = "model-00002-of-00002.safetensors";

    @ParameterizedTest
    @EnumSource(HalfPrecision.class)
    void halfPrecisionWeightsWidenExactlyToFloat32(HalfPrecision dtype, @TempDir Path dir)
            throws IOException {
        Map<String, SafetensorsWriter.Tensor> rounded = map(fixtureTensors(), dtype::rounded);
        Path half = folder(dir.resolve("half"));
        dtype.write(half.resolve(WeightsLoader.SINGLE_FILE), fixtureTensors());
        Path float32 = folder(dir.resolve("f32"));
        SafetensorsWriter.write(float32.resolve(WeightsLoader.SINGLE_FILE), rounded, Map.of());

        try (SafetensorsFile file = SafetensorsFile.open(half.resolve(WeightsLoader.SINGLE_FILE))) {
            rounded.forEach((name, tensor) -> assertThat(file.readFloats(name)).as(name)
                    .containsExactly(tensor.values()));
        }
        float[] expected = logits(float32);
        float[] actual = logits(half);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-5f));
        }
    }

    @Test
    void shardedFolderGivesBitIdenticalLogits(@TempDir Path dir) throws IOException {
        Path sharded = shard(folder(dir.resolve("sharded")));
        assertThat(sharded.resolve(WeightsLoader.SINGLE_FILE)).doesNotExist();
        assertThat(logits(sharded)).containsExactly(logits(FIXTURE));
    }

    /** Breaks a copy of the fixture folder. */
    @FunctionalInterface
    interface Breakage {
        void apply(Path folder) throws IOException;
    }

    static Stream<Arguments> brokenFolders() {
        String norm = ParameterNames.FINAL_NORM;
        String upProj = ParameterNames.projection(2, "up_proj") + ".weight";
        return Stream.of(
                Arguments.of("missing tensor", (Breakage) f -> rewrite(f, tensors -> {
                    tensors.remove(upProj);
                    return tensors;
                }), List.of(WeightsLoader.SINGLE_FILE, "missing tensor '" + upProj + "'")),
                Arguments.of("shape mismatch", (Breakage) f -> rewrite(f, tensors -> {
                    float[] half = Arrays.copyOf(tensors.get(norm).values(), 32);
                    tensors.put(norm, new SafetensorsWriter.Tensor(new long[] {32}, half));
                    return tensors;
                }), List.of("'" + norm + "'", "[32]", "[64]")),
                Arguments.of("unknown model_type", (Breakage) f -> editConfig(f,
                        c -> c.put("model_type", "gpt2")), List.of("config.json", "'gpt2'")),
                Arguments.of("qwen3 without its per-head norms", (Breakage) f -> editConfig(f,
                        c -> c.put("model_type", "qwen3")), List.of(WeightsLoader.SINGLE_FILE,
                        "missing tensor '" + ParameterNames.queryNorm(0) + "'")),
                Arguments.of("missing config.json",
                        (Breakage) f -> Files.delete(f.resolve("config.json")),
                        List.of("config.json", "missing")),
                Arguments.of("missing shard",
                        (Breakage) f -> Files.delete(shard(f).resolve(SHARD_2)),
                        List.of(SHARD_2, WeightsLoader.INDEX_FILE, "missing")),
                Arguments.of("tensor absent from the index", (Breakage) f -> {
                    Path index = shard(f).resolve(WeightsLoader.INDEX_FILE);
                    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(index.toFile());
                    ((ObjectNode) json.path("weight_map")).remove(norm);
                    Files.writeString(index, json.toString());
                }, List.of(WeightsLoader.INDEX_FILE, "missing tensor '" + norm + "'")),
                Arguments.of("truncated file", (Breakage) f -> {
                    Path file = f.resolve(WeightsLoader.SINGLE_FILE);
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                        raf.setLength(raf.length() / 2);
                    }
                }, List.of(WeightsLoader.SINGLE_FILE, "do not fit")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFolders")
    void brokenFolderIsRefusedWithAMessageNamingTheCause(String cause, Breakage breakage,
            List<String> fragments, @TempDir Path dir) throws IOException {
        Path folder = folder(dir);
        Files.copy(FIXTURE.resolve(WeightsLoader.SINGLE_FILE),
                folder.resolve(WeightsLoader.SINGLE_FILE));
        breakage.apply(folder);

        assertThatThrownBy(() -> Llama.load(folder).close())
                .isInstanceOf(ModelFolderException.class)
                .message().contains(fragments);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../elsewhere/" + SHARD_2, "/etc/" + SHARD_2, "sub/" + SHARD_2,
        ".."})
    void shardIndexNamingAPathIsRefused(String shard, @TempDir Path dir) throws IOException {
        Path folder = shard(folder(dir));
        pointIndexAt(folder, shard);

        assertThatThrownBy(() -> Llama.load(folder).close())
                .isInstanceOf(ConfinementException.class)
                .hasMessageContaining(WeightsLoader.INDEX_FILE)
                .hasMessageContaining("'" + shard + "', not a plain file name");
    }

    @Test
    void verifiedShardIndexMayNameOnlyFilesOfTheManifest(@TempDir Path dir) throws IOException {
        Path folder = shard(folder(dir.resolve("v1")));
        Files.copy(folder.resolve(SHARD_2), dir.resolve(SHARD_2)); // beside, not inside
        pointIndexAt(folder, "../" + SHARD_2);
        Sha256Manifest.write(folder);
        assertThatThrownBy(() -> Llama.load(VerifiedFolder.open(folder)).close())
                .isInstanceOf(ConfinementException.class);

        Files.move(folder.resolve(SHARD_2), folder.resolve("unlisted.safetensors"));
        pointIndexAt(folder, "unlisted.safetensors");
        Sha256Manifest.write(folder);
        Files.move(folder.resolve("unlisted.safetensors"), dir.resolve("unlisted.safetensors"));
        assertThatThrownBy(() -> VerifiedFolder.open(folder))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("unlisted.safetensors: missing");
    }

    @Test
    void verifiedShardedFolderGivesBitIdenticalLogits(@TempDir Path dir) throws IOException {
        Path sharded = shard(folder(dir.resolve("sharded")));
        Sha256Manifest.write(sharded);
        try (Llama model = Llama.load(VerifiedFolder.open(sharded))) {
            assertThat(logits(model)).containsExactly(logits(FIXTURE));
        }
    }

    /** Moves every tensor of the second shard to {@code shard} in the index. */
    private static void pointIndexAt(Path folder, String shard) throws IOException {
        Path index = folder.resolve(WeightsLoader.INDEX_FILE);
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(index.toFile());
        ObjectNode weightMap = (ObjectNode) json.path("weight_map");
        weightMap.fields().forEachRemaining(e -> {
            if (e.getValue().asText().equals(SHARD_2)) {
                e.setValue(weightMap.textNode(shard));
            }
        });
        Files.writeString(index, json.toString());
    }

    @ParameterizedTest
    @CsvSource({
        "mistral, , false",
        "llama, true, true",
        "llama, false, false",
        "qwen2, , true",
        "qwen3, , false",
    })
    void configJsonGivesModelTypeAndQkvBias(String type, Boolean attentionBias,
            boolean expectedBias, @TempDir Path dir) throws IOException {
        Path folder = folder(dir);
        editConfig(folder, c -> {
            c.put("model_type", type);
            c.remove("attention_bias");
            if (attentionBias != null) {
                c.put("attention_bias", attentionBias);
            }
        });

        LlamaConfig config = LlamaConfig.read(folder.resolve("config.json"));

        assertThat(config.modelType()).isEqualTo(type);
        assertThat(config.qkvBias()).isEqualTo(expectedBias);
        assertThat(config.numKvHeads()).isEqualTo(4);
        assertThat(ParameterNames.expectedShapes(config))
                .containsKey(ParameterNames.projection(0, "o_proj") + ".weight")
                .extractingByKey(ParameterNames.projection(0, "q_proj") + ".bias")
                .matches(shape -> (shape != null) == expectedBias,
                        "q_proj bias present iff " + expectedBias);
    }

    @ParameterizedTest
    @CsvSource({
        "mistral, 16, , 16",
        "mistral, 4096, , 512",
        "qwen2, 16, false, 512",
        "qwen2, 16, true, 16",
    })
    void aSlidingWindowShorterThanTheContextBecomesTheLengthLimit(String type, int window,
            Boolean useWindow, int expectedPositions, @TempDir Path dir) throws IOException {
        Path folder = folder(dir);
        editConfig(folder, c -> {
            c.put("model_type", type);
            c.put("sliding_window", window);
            if (useWindow != null) {
                c.put("use_sliding_window", useWindow);
            }
        });

        assertThat(LlamaConfig.read(folder.resolve("config.json")).maxPositions())
                .isEqualTo(expectedPositions);
    }

    @Test
    void llama3RopeScalingIsRead(@TempDir Path dir) throws IOException {
        Path folder = folder(dir);
        editConfig(folder, c -> c.putObject("rope_scaling").put("rope_type", "llama3")
                .put("factor", 8.0).put("low_freq_factor", 1.0).put("high_freq_factor", 4.0)
                .put("original_max_position_embeddings", 8192));

        assertThat(LlamaConfig.read(folder.resolve("config.json")).ropeScaling())
                .isEqualTo(new RopeScaling("llama3", 8.0, 1.0, 4.0, 8192));
    }

    @Test
    void yarnRopeScalingIsRefused(@TempDir Path dir) throws IOException {
        Path folder = folder(dir);
        editConfig(folder, c -> c.putObject("rope_scaling").put("type", "yarn")
                .put("factor", 4.0));

        assertThatThrownBy(() -> LlamaConfig.read(folder.resolve("config.json")))
                .isInstanceOf(ModelFolderException.class)
                .message().contains("config.json", "rope_scaling", "'yarn'");
    }

    /** A new folder holding the fixture's config.json and no weights. */
    private static Path folder(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(FIXTURE.resolve("config.json"), dir.resolve("config.json"));
        return dir;
    }

    private static Map<String, SafetensorsWriter.Tensor> fixtureTensors() {
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        Path fixture = FIXTURE.resolve(WeightsLoader.SINGLE_FILE);
        try (SafetensorsFile file = SafetensorsFile.open(fixture)) {
            file.tensors().forEach((name, info) -> tensors.put(name,
                    new SafetensorsWriter.Tensor(info.shape(), file.readFloats(name))));
        }
        return tensors;
    }

    private static Map<String, SafetensorsWriter.Tensor> map(
            Map<String, SafetensorsWriter.Tensor> tensors, FloatOperator op) {
        Map<String, SafetensorsWriter.Tensor> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            float[] values = new float[t.values().length];
            for (int i = 0; i < values.length; i++) {
                values[i] = op.apply(t.values()[i]);
            }
            out.put(name, new SafetensorsWriter.Tensor(t.shape(), values));
        });
        return out;
    }

    @FunctionalInterface
    private interface FloatOperator {
        float apply(float value);
    }

    /** Splits the fixture's tensors over two shard files listed by an index; returns folder. */
    private static Path shard(Path folder) throws IOException {
        Files.deleteIfExists(folder.resolve(WeightsLoader.SINGLE_FILE));
        Map<String, SafetensorsWriter.Tensor> first = new LinkedHashMap<>();
        Map<String, SafetensorsWriter.Tensor> second = new LinkedHashMap<>();
        ObjectNode index = new ObjectMapper().createObjectNode();
        ObjectNode weightMap = index.putObject("weight_map");
        fixtureTensors().forEach((name, tensor) -> {
            boolean early = name.startsWith("model.layers.0.") || name.startsWith("model.layers.1.")
                    || name.equals(ParameterNames.EMBED);
            (early ? first : second).put(name, tensor);
            weightMap.put(name, early ? SHARD_1 : SHARD_2);
        });
        assertThat(first).isNotEmpty();
        assertThat(second).isNotEmpty();
        SafetensorsWriter.write(folder.resolve(SHARD_1), first, Map.of());
        SafetensorsWriter.write(folder.resolve(SHARD_2), second, Map.of());
        Files.writeString(folder.resolve(WeightsLoader.INDEX_FILE), index.toString());
        return folder;
    }

    /** Replaces the folder's single weights file by an edit of the fixture's tensors. */
    private static void rewrite(Path folder,
            UnaryOperator<Map<String, SafetensorsWriter.Tensor>> edit) {
        SafetensorsWriter.write(folder.resolve(WeightsLoader.SINGLE_FILE),
                edit.apply(fixtureTensors()), Map.of());
    }

    private interface ConfigEdit {
        void apply(ObjectNode config);
    }

    private static void editConfig(Path folder, ConfigEdit edit) throws IOException {
        Path file = folder.resolve("config.json");
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(file.toFile());
        edit.apply(config);
        Files.writeString(file, config.toPrettyString());
    }

    private static float[] logits(Path folder) {
        try (Llama model = Llama.load(folder)) {
            return logits(model);
        }
    }

    private static float[] logits(Llama model) {
        int[] mask = new int[IDS.length];
        Arrays.fill(mask, 1);
        try (NDManager step = model.newStepManager()) {
            return model.forward(step, new int[][] {IDS}, new int[][] {mask}, null, false, false)
                    .toFloatArray();
        }
    }
}
