package ai.collectiveagency.policy.checkpoint;

import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.ModelParameters;
import ai.collectiveagency.policy.model.ParameterNames;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a Hugging Face model's weights ({@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}) as float32 arrays, checking every name and shape against
 * the config.
 */
public final class WeightsLoader {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private WeightsLoader() {}

    /** Reads every parameter {@code config} needs; {@code manager} becomes the owner. */
    public static ModelParameters load(Path folder, LlamaConfig config, NDManager manager) {
        Map<String, Path> files = locate(folder);
        Map<Path, SafetensorsFile> open = new HashMap<>();
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, long[]> e : ParameterNames.expectedShapes(config).entrySet()) {
                arrays.put(e.getKey(), read(files, open, folder, e.getKey(), e.getValue(),
                        manager));
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        } finally {
            open.values().forEach(SafetensorsFile::close);
        }
        return new ModelParameters(manager, arrays);
    }

    private static NDArray read(Map<String, Path> files, Map<Path, SafetensorsFile> open,
            Path folder, String name, long[] expected, NDManager manager) {
        Path file = files.get(name);
        if (file == null) { // not in the index, or not in the single file
            String listing = Files.exists(folder.resolve(INDEX_FILE)) ? INDEX_FILE : SINGLE_FILE;
            throw new ModelFolderException(folder.resolve(listing) + ": missing tensor '" + name
                    + "'");
        }
        SafetensorsFile safetensors = open.computeIfAbsent(file, SafetensorsFile::open);
        SafetensorsFile.TensorInfo info = safetensors.tensors().get(name);
        if (info == null) {
            throw new ModelFolderException(file + ": missing tensor '" + name
                    + "' (the index lists it in this file)");
        }
        if (!Arrays.equals(info.shape(), expected)) {
            throw new ModelFolderException(file + ": tensor '" + name + "' has shape "
                    + Arrays.toString(info.shape()) + ", config.json implies "
                    + Arrays.toString(expected));
        }
        return safetensors.readArray(name, manager);
    }

    /** Tensor name to the file that holds it. */
    static Map<String, Path> locate(Path folder) {
        Path single = folder.resolve(SINGLE_FILE);
        Path index = folder.resolve(INDEX_FILE);
        Map<String, Path> files = new HashMap<>();
        if (Files.exists(index)) {
            JsonNode weightMap;
            try {
                weightMap = new ObjectMapper().readTree(index.toFile()).path("weight_map");
            } catch (IOException e) {
                throw new ModelFolderException(index + ": cannot read (" + e.getMessage() + ")", e);
            }
            if (!weightMap.isObject()) {
                throw new ModelFolderException(index + ": has no 'weight_map' object");
            }
            weightMap.fields().forEachRemaining(e -> {
                Path shard = folder.resolve(e.getValue().asText());
                if (!Files.exists(shard)) {
                    throw new ModelFolderException(shard + ": shard listed in " + INDEX_FILE
                            + " for tensor '" + e.getKey() + "' is missing");
                }
                files.put(e.getKey(), shard);
            });
        } else if (Files.exists(single)) {
            try (SafetensorsFile file = SafetensorsFile.open(single)) {
                file.tensors().keySet().forEach(name -> files.put(name, single));
            }
        } else {
            throw new ModelFolderException(folder + ": no " + SINGLE_FILE + " or " + INDEX_FILE);
        }
        return files;
    }
}
