package ai.collectiveagency.policy.checkpoint;

import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.ModelParameters;
import ai.collectiveagency.policy.model.ParameterNames;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A whole model saved in Hugging Face layout, which {@link Llama#load} and
 * {@code AutoModelForCausalLM.from_pretrained} read:
 *
 * <pre>
 *   config.json          the {@link LlamaConfig}, over the source's config.json when given
 *   model.safetensors    every parameter, float32, by Hugging Face key
 *   tokenizer files      copied from the source folder when present ({@link #TOKENIZER_FILES})
 *   manifest.json        sha256 and size of the files above ({@link Sha256Manifest}), written last
 * </pre>
 *
 * <p>Usage: {@code ModelCheckpoint.save(dir, model.config(), model.parameters(), baseDir);
 * Llama copy = ModelCheckpoint.load(dir);}
 */
public final class ModelCheckpoint {

    /** Files copied from the source folder when it has them. */
    public static final List<String> TOKENIZER_FILES = List.of("tokenizer.json",
            "tokenizer_config.json", "generation_config.json", "special_tokens_map.json",
            "tokenizer.model", "vocab.json", "merges.txt", "added_tokens.json",
            "chat_template.jinja");

    private ModelCheckpoint() {}

    /** Saves without tokenizer files into a new or empty {@code folder}. */
    public static void save(Path folder, LlamaConfig config, ModelParameters parameters) {
        save(folder, config, parameters, null);
    }

    /**
     * Saves into a new or empty {@code folder}.
     *
     * @param source the folder the model came from, whose config.json extras and tokenizer files
     *     are carried over, or null for none
     * @throws IllegalArgumentException when {@code parameters} do not have the names and shapes
     *     {@code config} implies, or {@code folder} is not empty
     */
    public static void save(Path folder, LlamaConfig config, ModelParameters parameters,
            Path source) {
        Map<String, SafetensorsWriter.Tensor> tensors = tensors(config, parameters);
        CheckpointFolders.prepareEmpty(folder);
        JsonNode sourceConfig = source == null ? null : readSourceConfig(source);
        try {
            Files.writeString(folder.resolve("config.json"), new ObjectMapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(ConfigJson.toJson(config, sourceConfig)));
            SafetensorsWriter.write(folder.resolve(WeightsLoader.SINGLE_FILE), tensors,
                    Map.of("format", "pt"));
            if (source != null) {
                for (String name : TOKENIZER_FILES) {
                    if (Files.isRegularFile(source.resolve(name))) {
                        Files.copy(source.resolve(name), folder.resolve(name));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + folder, e);
        }
        Sha256Manifest.write(folder);
    }

    /** Loads {@code folder}, each file checked against its manifest as it is read. */
    public static Llama load(Path folder) {
        return Llama.load(VerifiedFolder.open(folder));
    }

    private static Map<String, SafetensorsWriter.Tensor> tensors(LlamaConfig config,
            ModelParameters parameters) {
        Map<String, long[]> expected = ParameterNames.expectedShapes(config);
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(parameters.asMap().keySet());
        Set<String> extra = new TreeSet<>(parameters.asMap().keySet());
        extra.removeAll(expected.keySet());
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException("parameters do not match the config: missing "
                    + missing + ", not in the config " + extra);
        }
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        expected.forEach((name, shape) -> {
            NDArray array = parameters.get(name);
            if (!Arrays.equals(array.getShape().getShape(), shape)) {
                throw new IllegalArgumentException("parameter '" + name + "' has shape "
                        + array.getShape() + ", the config implies " + Arrays.toString(shape));
            }
            tensors.put(name, SafetensorsWriter.Tensor.of(name, array));
        });
        return tensors;
    }

    private static JsonNode readSourceConfig(Path source) {
        Path file = source.resolve("config.json");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFolderException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
