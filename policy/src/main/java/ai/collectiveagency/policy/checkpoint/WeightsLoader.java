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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a Hugging Face model's weights ({@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}) as float32 arrays, checking every name and shape against
 * the config. An index may name only plain file names of the folder itself (as the Hugging Face
 * hub writes them), never a path.
 */
public final class WeightsLoader {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private WeightsLoader() {}

    /**
     * Reads every parameter {@code config} needs from a verified folder, each file once and
     * hashed as it is read ({@link VerifiedFolder#read}); {@code manager} becomes the owner (it
     * is closed when loading fails). An index may only name files the manifest lists.
     *
     * @throws ConfinementException when the index names anything but a listed plain file name
     */
    public static ModelParameters load(VerifiedFolder folder, LlamaConfig config,
            NDManager manager) {
        Map<String, long[]> expected = ParameterNames.expectedShapes(config);
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        try {
            Map<String, NDArray> read = new HashMap<>();
            verifiedFiles(folder, expected.keySet()).forEach((name, tensors) -> {
                Path file = folder.path().resolve(name);
                read.putAll(folder.read(name, (in, size) -> SafetensorsStream.read(in, size,
                        file, header -> checked(file, header, tensors, expected), manager)));
            });
            expected.keySet().forEach(name -> arrays.put(name, read.get(name)));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return new ModelParameters(manager, arrays);
    }

    /** The listed files that hold {@code tensors}, each with the tensors it holds. */
    private static Map<String, List<String>> verifiedFiles(VerifiedFolder folder,
            Collection<String> tensors) {
        Map<String, List<String>> files = new LinkedHashMap<>();
        Path index = folder.path().resolve(INDEX_FILE);
        if (folder.has(INDEX_FILE)) {
            Map<String, String> weightMap = weightMap(index, folder.readAll(INDEX_FILE));
            weightMap.values().stream().distinct().forEach(shard -> {
                if (!folder.has(shard)) {
                    throw new ConfinementException(index + ": names '" + shard + "', which is"
                            + " not a file of the verified folder (not in "
                            + Sha256Manifest.FILE + ")");
                }
            });
            for (String tensor : tensors) {
                if (!weightMap.containsKey(tensor)) {
                    throw new ModelFolderException(index + ": missing tensor '" + tensor + "'");
                }
                files.computeIfAbsent(weightMap.get(tensor), f -> new ArrayList<>()).add(tensor);
            }
        } else if (folder.has(SINGLE_FILE)) {
            files.put(SINGLE_FILE, List.copyOf(tensors));
        } else {
            throw new ModelFolderException(folder.path() + ": no " + SINGLE_FILE + " or "
                    + INDEX_FILE);
        }
        return files;
    }

    /** Checks that the header has each of {@code tensors} in its expected shape. */
    private static List<String> checked(Path file, Map<String, SafetensorsFile.TensorInfo> header,
            List<String> tensors, Map<String, long[]> expected) {
        for (String name : tensors) {
            SafetensorsFile.TensorInfo info = header.get(name);
            if (info == null) {
                throw new ModelFolderException(file + ": missing tensor '" + name + "'");
            }
            requireShape(file, name, info, expected.get(name));
        }
        return tensors;
    }

    private static void requireShape(Path file, String name, SafetensorsFile.TensorInfo info,
            long[] expected) {
        if (!Arrays.equals(info.shape(), expected)) {
            throw new ModelFolderException(file + ": tensor '" + name + "' has shape "
                    + Arrays.toString(info.shape()) + ", config.json implies "
                    + Arrays.toString(expected));
        }
    }

    /**
     * The {@code weight_map} of an index's bytes: tensor name to shard file name.
     *
     * @throws ConfinementException when a shard is not a plain file name (a path, {@code ..})
     */
    static Map<String, String> weightMap(Path index, byte[] json) {
        JsonNode weightMap;
        try {
            weightMap = new ObjectMapper().readTree(json).path("weight_map");
        } catch (IOException e) {
            throw new ModelFolderException(index + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (!weightMap.isObject()) {
            throw new ModelFolderException(index + ": has no 'weight_map' object");
        }
        Map<String, String> shards = new LinkedHashMap<>();
        weightMap.fields().forEachRemaining(e -> {
            String shard = e.getValue().asText();
            if (!isPlainFileName(shard)) {
                throw new ConfinementException(index + ": tensor '" + e.getKey() + "' is in '"
                        + shard + "', not a plain file name of the folder");
            }
            shards.put(e.getKey(), shard);
        });
        return shards;
    }

    /** A file name with no directory part: no separator, not {@code .} or {@code ..}. */
    static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == '\\' || c == 0 || c == ':');
    }

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
        requireShape(file, name, info, expected);
        return safetensors.readArray(name, manager);
    }

    /** Tensor name to the file that holds it. */
    static Map<String, Path> locate(Path folder) {
        Path single = folder.resolve(SINGLE_FILE);
        Path index = folder.resolve(INDEX_FILE);
        Map<String, Path> files = new HashMap<>();
        if (Files.exists(index)) {
            byte[] json;
            try {
                json = Files.readAllBytes(index);
            } catch (IOException e) {
                throw new ModelFolderException(index + ": cannot read (" + e.getMessage() + ")", e);
            }
            weightMap(index, json).forEach((tensor, name) -> {
                Path shard = folder.resolve(name);
                if (!Files.exists(shard)) {
                    throw new ModelFolderException(shard + ": shard listed in " + INDEX_FILE
                            + " for tensor '" + tensor + "' is missing");
                }
                files.put(tensor, shard);
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
